import sys
sys.setrecursionlimit(60)

def recursive_printer(n):
    if n < 1:
        print(n)
        recursive_printer(n - 1)
        print(n)

recursive_printer(0)
