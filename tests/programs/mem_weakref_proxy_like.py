import weakref

class Config:
    def __init__(self):
        self.debug = True

c = Config()
ref = weakref.ref(c)
obj = ref()
print(obj.debug, obj is c)
del obj
del c
print(ref() is None)
print(weakref.getweakrefcount(Config()))
