class Tracked:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("freed", self.name)

outer = [Tracked("a"), [Tracked("b"), Tracked("c")], Tracked("d")]
print("dropping inner list")
inner = outer[1]
outer[1] = None
print("inner still alive via a name")
del inner
print("dropping outer")
outer = None
print("end")
