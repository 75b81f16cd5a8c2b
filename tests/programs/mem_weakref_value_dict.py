import weakref

class Image:
    def __init__(self, name):
        self.name = name

cache = weakref.WeakValueDictionary()
a = Image("a")
b = Image("b")
cache["a"] = a
cache["b"] = b
print(len(cache), sorted(cache.keys()))
del a
print(len(cache), sorted(cache.keys()))
print(cache.get("a"), cache["b"].name)
b = None
print(len(cache), list(cache.items()))
try:
    cache["b"]
except KeyError as e:
    print("KeyError:", e)
