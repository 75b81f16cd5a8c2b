import sys
import weakref

class Thing:
    pass

t = Thing()
print(sys.getrefcount(t))
r1 = weakref.ref(t)
r2 = weakref.ref(t)
print(sys.getrefcount(t))
print(weakref.getweakrefcount(t), r1 is r2)
strong = r1()
print(sys.getrefcount(t))
