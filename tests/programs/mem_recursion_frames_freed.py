import sys

class Tracked:
    count = 0
    def __init__(self):
        Tracked.count += 1
    def __del__(self):
        Tracked.count -= 1

def deep(n):
    t = Tracked()
    if n == 0:
        raise ValueError("bottom")
    return deep(n - 1)

try:
    deep(50)
except ValueError:
    print("live inside except:", Tracked.count > 0)
print("live after except:", Tracked.count)
