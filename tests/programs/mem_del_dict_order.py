class Tracked:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("freed", self.name)

d = {"x": Tracked("x"), "y": Tracked("y"), "z": Tracked("z")}
print("pop y")
d.pop("y")
print("clear")
d.clear()
print("rebuild")
d = {"p": Tracked("p"), "q": Tracked("q")}
print("del d")
del d
print("end")
