import sys

class Thing:
    pass

t = Thing()
print(sys.getrefcount(t))
print(sys.getrefcount(Thing()))
print(sys.getrefcount([]))
L = [1, 2, 3]
print(sys.getrefcount(L))
d = {}
print(sys.getrefcount(d))
