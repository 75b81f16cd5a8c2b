import gc
import weakref

class Node:
    pass

gc.collect()
a = Node()
b = Node()
a.partner = b
b.partner = a
ref = weakref.ref(a)
del a
gc.collect()
print("b still references a:", ref() is not None)
del b
gc.collect()
print("after dropping b:", ref())
