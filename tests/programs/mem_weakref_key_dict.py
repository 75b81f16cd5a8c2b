import weakref

class Obj:
    def __init__(self, n):
        self.n = n

meta = weakref.WeakKeyDictionary()
o1 = Obj(1)
o2 = Obj(2)
meta[o1] = "first"
meta[o2] = "second"
print(len(meta), meta[o1])
del o1
print(len(meta), [v for v in meta.values()])
print(o2 in meta)
