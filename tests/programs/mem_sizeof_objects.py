import sys

class Plain:
    pass

class WithAttrs:
    def __init__(self):
        self.a = 1
        self.b = 2

def f():
    pass

print(sys.getsizeof(Plain()), sys.getsizeof(WithAttrs()))
print(sys.getsizeof(f), sys.getsizeof(lambda: 0))
print(sys.getsizeof(None), sys.getsizeof(range(10)))
print(sys.getsizeof([Plain()]) == sys.getsizeof([1]))
