# A call does not take a reference to the module's globals: CPython 3.11's frames
# borrow f_globals (the function object holds the dict), so the count is the same at
# module level, inside a call, and two calls deep.
import sys


def inner():
    return sys.getrefcount(globals())


def outer():
    return inner()


top = sys.getrefcount(globals())
print(top == inner() == outer())
print(inner() - top, outer() - top)


def gen():
    yield sys.getrefcount(globals())


g = gen()
print(next(g) - top)
