import weakref

class Thing:
    def __init__(self, name):
        self.name = name

def on_death(ref):
    print("callback: referent died; ref() is", ref())

t = Thing("x")
r = weakref.ref(t, on_death)
print("alive:", r().name)
del t
print("after del")
