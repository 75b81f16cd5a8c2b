import weakref

class Resource:
    pass

def cleanup(name):
    print("finalize ran for", name)

r = Resource()
f = weakref.finalize(r, cleanup, "res-1")
print(f.alive)
del r
print(f.alive)
r2 = Resource()
f2 = weakref.finalize(r2, cleanup, "res-2")
print(f2())
print(f2.alive, f2())
