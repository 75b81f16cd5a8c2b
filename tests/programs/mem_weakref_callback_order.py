import weakref

class T:
    pass

t = T()
log = []
r1 = weakref.ref(t, lambda r: log.append("first"))
r2 = weakref.ref(t, lambda r: log.append("second"))
print(r1 is r2, weakref.getweakrefcount(t))
del t
print(log)
