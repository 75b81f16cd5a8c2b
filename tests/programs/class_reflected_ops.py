class V:
    def __init__(self, *c):
        self.c = c
    def __repr__(self):
        return f"V{self.c}"
    def __add__(self, o):
        if isinstance(o, V):
            return V(*[a + b for a, b in zip(self.c, o.c)])
        return NotImplemented
    def __radd__(self, o):
        return V(*[o + a for a in self.c])
    def __mul__(self, k):
        return V(*[a * k for a in self.c])
    __rmul__ = __mul__
    def __neg__(self):
        return V(*[-a for a in self.c])
    def __abs__(self):
        return sum(a * a for a in self.c) ** 0.5
    def __eq__(self, o):
        return isinstance(o, V) and self.c == o.c
    def __lt__(self, o):
        return abs(self) < abs(o)
print(V(1, 2) + V(3, 4), 1 + V(1, 2), V(1, 2) * 3, 3 * V(1, 2), -V(1, 2), abs(V(3, 4)))
print(V(1) == V(1), V(1) != V(2), V(1) < V(2), V(3) > V(2))
try:
    V(1) + "s"
except TypeError as e:
    print(e)
try:
    V(1) <= V(2)
except TypeError as e:
    print(e)
print(hash(V) is not None, V.__hash__)
class Acc:
    def __init__(self):
        self.items = []
    def __iadd__(self, x):
        self.items.append(x)
        return self
a = Acc()
b = a
a += 1
a += 2
print(a is b, b.items)
class Sub(int):
    def __add__(self, o):
        return "Sub.__add__"
    def __radd__(self, o):
        return "Sub.__radd__"
print(1 + Sub(2), Sub(2) + 1, Sub(2) - 1, 5 - Sub(2), type(Sub(2) * 2).__name__)
class Money(float):
    def __repr__(self):
        return f"${float(self):.2f}"
print(Money(3.5), [Money(1)], str(Money(2)), Money(1) + 1)
class Upper(str):
    def __new__(cls, s):
        return super().__new__(cls, s.upper())
print(Upper("hi"), Upper("hi") + "!", len(Upper("abc")), isinstance(Upper("x"), str))
class Bag(dict):
    def __missing__(self, key):
        return 0
b = Bag(a=1)
print(b["a"], b["zz"], b)
class Stack(list):
    def peek(self):
        return self[-1]
s = Stack([1, 2])
s.append(3)
print(s, s.peek(), len(s), type(s).__name__, s == [1, 2, 3])
