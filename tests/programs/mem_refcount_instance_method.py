import sys

class Counter:
    def __init__(self):
        self.n = 0
    def report(self):
        return sys.getrefcount(self)

c = Counter()
print(sys.getrefcount(c))
print(c.report())
m = c.report
print(sys.getrefcount(c))
print(m())
del m
print(sys.getrefcount(c))
