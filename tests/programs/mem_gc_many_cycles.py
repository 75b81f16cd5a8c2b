import gc

class Node:
    pass

gc.collect()
gc.disable()
for i in range(1000):
    a = Node()
    b = Node()
    a.other = b
    b.other = a
del a, b
print(gc.collect())
gc.enable()
