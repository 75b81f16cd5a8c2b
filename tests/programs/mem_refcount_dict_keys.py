import sys

class Key:
    pass

k = Key()
v = Key()
d = {k: v}
print(sys.getrefcount(k), sys.getrefcount(v))
d[k] = None
print(sys.getrefcount(k), sys.getrefcount(v))
del d[k]
print(sys.getrefcount(k))
