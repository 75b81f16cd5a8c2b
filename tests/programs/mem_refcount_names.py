import sys

class Thing:
    pass

t = Thing()
base = sys.getrefcount(t)
u = t
print(sys.getrefcount(t) - base)
v = u
print(sys.getrefcount(t) - base)
del u
print(sys.getrefcount(t) - base)
v = None
print(sys.getrefcount(t) - base)
u = v = w = t
print(sys.getrefcount(t) - base)
