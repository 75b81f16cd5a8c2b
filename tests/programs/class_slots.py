import sys
class P:
    __slots__ = ('x', 'y')
    def __init__(self, x, y):
        self.x = x
        self.y = y
p = P(1, 2)
print(p.x, p.y, P.x, type(P.x).__name__)
print(sys.getsizeof(p), hasattr(p, '__dict__'))
try:
    p.z = 3
except AttributeError as e:
    print(e)
class Q(P):
    __slots__ = 'z'
q = Q(1, 2)
q.z = 5
print(q.z, sys.getsizeof(q), sorted(Q.__dict__))
class R(P):
    pass
r = R(1, 2)
r.w = 9
print(r.w, r.__dict__, sys.getsizeof(r))
class S:
    __slots__ = ('a', '__dict__')
s = S()
s.a = 1
s.b = 2
print(s.a, s.__dict__)
del p.x
try:
    p.x
except AttributeError as e:
    print(e)
try:
    class Bad:
        __slots__ = ('v',)
        v = 1
except ValueError as e:
    print(e)
print(list(P.__dict__.keys()))
class Plain:
    pass
print(sys.getsizeof(Plain()), sys.getsizeof(P(0, 0)))
