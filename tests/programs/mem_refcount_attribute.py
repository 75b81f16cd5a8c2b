import sys

class Box:
    pass

payload = [0]
print(sys.getrefcount(payload))
b1 = Box()
b1.item = payload
print(sys.getrefcount(payload))
b2 = Box()
b2.item = payload
b2.again = payload
print(sys.getrefcount(payload))
b1.item = None
print(sys.getrefcount(payload))
del b2
print(sys.getrefcount(payload))
