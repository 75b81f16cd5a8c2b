import gc

class Node:
    def __init__(self, name):
        self.name = name
        self.other = None
    def __del__(self):
        print("finalizing", self.name)

gc.collect()
a = Node("a")
b = Node("b")
a.other = b
b.other = a
del a
print("a deleted: still reachable through b")
del b
print("b deleted: the cycle is garbage but not freed yet")
n = gc.collect()
print("collected", n)
print("garbage:", gc.garbage)
