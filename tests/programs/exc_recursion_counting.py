# How deep recursion goes when each level passes through a different part of the
# interpreter, at the recursion limit read from stdin: 160 here (NAME.in), low enough
# that no path reaches the engine's nesting cap; tests/depth runs the same program at
# the default 1000. A Python-to-Python call costs one level; a C function or slot
# between the calls (__init__ via the class call, __repr__ via repr(), == via __eq__)
# costs another. list(), set(), tuple() and the iterators call without a check.
import sys
sys.setrecursionlimit(int(input()))
depth = 0


def attempt(name, start):
    global depth
    depth = 0
    try:
        start()
    except RecursionError as e:
        print(f"{name:10} {depth:4}  {e}")


class Init:
    def __init__(self, n):
        global depth
        depth = n
        Init(n + 1)


class Repr:
    def __init__(self, n):
        self.n = n

    def __repr__(self):
        global depth
        depth = self.n
        return "R" + repr(Repr(self.n + 1))


class FRepr(Repr):
    def __repr__(self):
        global depth
        depth = self.n
        return f"{FRepr(self.n + 1)!r}"


class Eq(Repr):
    def __eq__(self, other):
        global depth
        depth = self.n
        return Eq(self.n + 1) == other


class Hash(Repr):
    def __hash__(self):
        global depth
        depth = self.n
        return hash(Hash(self.n + 1))


class Item:
    def __getitem__(self, n):
        global depth
        depth = n
        return self[n + 1]


class Call:
    def __call__(self, n):
        global depth
        depth = n
        return self(n + 1)


class Prop(Repr):
    @property
    def down(self):
        global depth
        depth = self.n
        return Prop(self.n + 1).down


class Slots(Repr):
    def __int__(self):
        global depth
        depth = self.n
        return int(Slots(self.n + 1))

    def __float__(self):
        global depth
        depth = self.n
        return float(Slots(self.n + 1))

    def __bool__(self):
        global depth
        depth = self.n
        return bool(Slots(self.n + 1))

    def __abs__(self):
        global depth
        depth = self.n
        return abs(Slots(self.n + 1))


def through(make):
    def f(n):
        global depth
        depth = n
        return make(map(f, [n + 1]))
    return lambda: f(0)


attempt("__init__", lambda: Init(0))
attempt("__repr__", lambda: repr(Repr(0)))
attempt("f'{x!r}'", lambda: repr(FRepr(0)))
attempt("__eq__", lambda: Eq(0) == 1)
attempt("__hash__", lambda: hash(Hash(0)))
attempt("x[n]", lambda: Item()[0])
attempt("x(n)", lambda: Call()(0))
attempt("property", lambda: Prop(0).down)
attempt("int()", lambda: int(Slots(0)))
attempt("float()", lambda: float(Slots(0)))
attempt("bool()", lambda: bool(Slots(0)))
attempt("abs()", lambda: abs(Slots(0)))
for make in (list, tuple, set, frozenset, min, any):
    attempt(make.__name__ + "()", through(make))
attempt("dict()", through(lambda it: dict((k, k) for k in it)))
attempt("zip()", through(lambda it: list(zip(it))))
