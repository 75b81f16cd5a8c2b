import sys

class T:
    pass

t = T()
L = [t] * 4
print(sys.getrefcount(t))
M = L[:2]
print(sys.getrefcount(t))
N = L + M
print(sys.getrefcount(t))
del L, M, N
print(sys.getrefcount(t))
