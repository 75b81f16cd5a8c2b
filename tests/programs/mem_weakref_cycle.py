import gc
import weakref

class Node:
    pass

def report(ref):
    print("weakref callback ran during collection")

gc.collect()
a = Node()
b = Node()
a.b = b
b.a = a
ra = weakref.ref(a, report)
del a, b
print("before collect:", ra() is not None)
gc.collect()
print("after collect:", ra())
