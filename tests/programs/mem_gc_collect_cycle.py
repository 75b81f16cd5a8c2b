import gc

class Node:
    def __init__(self, name):
        self.name = name
        self.other = None

gc.collect()
a = Node("a")
b = Node("b")
a.other = b
b.other = a
del a, b
print("unreachable found:", gc.collect())
print("second collect:", gc.collect())
