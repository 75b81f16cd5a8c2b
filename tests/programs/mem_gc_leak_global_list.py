import gc
import sys

cache = []

class Big:
    def __init__(self, n):
        self.data = [0] * n
    def __del__(self):
        print("Big freed")

def process(n):
    obj = Big(n)
    cache.append(obj)
    return len(obj.data)

for _ in range(3):
    process(10)
print("cache holds", len(cache), "objects")
gc.collect()
print("gc.collect() does not free them: still", len(cache))
print(sys.getrefcount(cache[0]))
cache.clear()
print("after clear")
