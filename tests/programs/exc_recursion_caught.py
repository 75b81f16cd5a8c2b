import sys

def down(n):
    return down(n + 1)

try:
    down(0)
except RecursionError as e:
    print("RecursionError:", e)
print(sys.getrecursionlimit())

def count(n):
    try:
        return count(n + 1)
    except RecursionError:
        return n

depth = count(0)
print(depth > 900, depth < 1000)
