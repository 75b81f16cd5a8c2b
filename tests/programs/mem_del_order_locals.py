class Tracked:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("freed", self.name)

def f():
    a = Tracked("a")
    b = Tracked("b")
    c = Tracked("c")
    print("return")

f()
print("after f")
