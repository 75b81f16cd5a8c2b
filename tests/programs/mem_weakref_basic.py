import weakref

class Thing:
    pass

t = Thing()
r = weakref.ref(t)
print(r() is t)
print(weakref.getweakrefcount(t))
del t
print(r())
print(r() is None)
