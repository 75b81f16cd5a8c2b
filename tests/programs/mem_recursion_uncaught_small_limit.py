import sys
sys.setrecursionlimit(30)

def countdown(n):
    print(n)
    return countdown(n - 1)

countdown(5)
