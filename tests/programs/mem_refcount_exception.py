import sys

class T:
    pass

t = T()
try:
    raise ValueError(t)
except ValueError as e:
    print(sys.getrefcount(t))
    saved = e
print(sys.getrefcount(t))
del saved
print(sys.getrefcount(t))
