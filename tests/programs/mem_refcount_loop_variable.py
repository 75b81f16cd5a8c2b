import sys

items = [[1], [2]]
first = items[0]
print(sys.getrefcount(first))
for x in items:
    pass
print(sys.getrefcount(first), sys.getrefcount(items[1]))
del x
print(sys.getrefcount(items[1]))
