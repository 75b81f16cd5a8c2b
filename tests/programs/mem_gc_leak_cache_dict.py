import gc

class Result:
    def __init__(self, key):
        self.key = key
    def __del__(self):
        print("freed result", self.key)

_cache = {}

def compute(key):
    if key not in _cache:
        _cache[key] = Result(key)
    return _cache[key]

for k in [1, 2, 1, 3, 2]:
    compute(k)
print(len(_cache), "results cached")
gc.collect()
print("still cached:", sorted(_cache))
del _cache[2]
print("evicting the rest")
_cache.clear()
print("end")
