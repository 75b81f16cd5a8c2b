class Tracked:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("freed", self.name)

items = [Tracked(i) for i in range(4)]
print("deleting the list")
del items
print("after list")
t = (Tracked("t0"), Tracked("t1"), Tracked("t2"))
print("deleting the tuple")
del t
print("after tuple")
