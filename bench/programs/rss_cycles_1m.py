import gc

class Node:
    pass

for _ in range(1_000_000):
    a = Node()
    b = Node()
    a.other = b
    b.other = a
a = b = None
gc.collect()
print("created and collected 1,000,000 cycles")
