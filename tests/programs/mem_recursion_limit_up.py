import sys
print(sys.getrecursionlimit())
def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)
try:
    depth(1500)
except RecursionError as e:
    print("1500 fails at the default limit:", e)
sys.setrecursionlimit(3000)
print(sys.getrecursionlimit())
print(depth(1500))
print(depth(2900))
