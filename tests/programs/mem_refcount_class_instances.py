import sys

class Registry:
    items = []
    def __init__(self):
        Registry.items.append(self)

r = Registry()
print(sys.getrefcount(r))
Registry.items.clear()
print(sys.getrefcount(r))
