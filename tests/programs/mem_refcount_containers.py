import sys

class Thing:
    pass

t = Thing()
print("start", sys.getrefcount(t))
L = [t, t, t]
print("in list three times", sys.getrefcount(t))
d = {"a": t, "b": t}
print("dict values", sys.getrefcount(t))
tup = (t,)
print("tuple", sys.getrefcount(t))
s = {t}
print("set", sys.getrefcount(t))
L.pop()
print("popped", sys.getrefcount(t))
del d["a"]
print("dict del", sys.getrefcount(t))
L.clear()
print("list cleared", sys.getrefcount(t))
del d, tup, s
print("all gone", sys.getrefcount(t))
