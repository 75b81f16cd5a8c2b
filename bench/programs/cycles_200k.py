import gc

class Node:
    pass

for _ in range(200_000):
    a = Node()
    b = Node()
    a.other = b
    b.other = a
a = b = None
gc.collect()
print("done")
