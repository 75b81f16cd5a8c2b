import sys
sys.setrecursionlimit(100)
print(sys.getrecursionlimit())

def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)

print(depth(50))
try:
    depth(150)
except RecursionError as e:
    print("RecursionError:", e)

def measure(n=0):
    try:
        return measure(n + 1)
    except RecursionError:
        return n
print(measure())
