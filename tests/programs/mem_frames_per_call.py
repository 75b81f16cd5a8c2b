import sys

def depth_now():
    f = 0
    def probe(n):
        if n == 0:
            return 0
        return 1 + probe(n - 1)
    return probe(10)

print(depth_now())

def recursive_printer(n):
    if n >= 1:
        print("  " * (3 - n) + "down", n)
        recursive_printer(n - 1)
        print("  " * (3 - n) + "up", n)

recursive_printer(3)
