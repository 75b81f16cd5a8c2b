import sys

data = [0]
print(sys.getrefcount(data))

def make(v):
    def inner():
        return v
    return inner

f1 = make(data)
print(sys.getrefcount(data))
f2 = make(data)
print(sys.getrefcount(data))
del f1
print(sys.getrefcount(data))
f2 = None
print(sys.getrefcount(data))
