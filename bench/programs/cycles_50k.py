import gc

class Node:
    pass

gc.disable()
for _ in range(50_000):
    a = Node()
    b = Node()
    a.other = b
    b.other = a
a = b = None
print(gc.collect())
