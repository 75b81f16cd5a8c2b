x = 10
del x
try:
    print(x)
except NameError as e:
    print("NameError:", e)
L = [0, 1, 2, 3, 4, 5]
del L[0]
print(L)
del L[1:3]
print(L)
del L[::2]
print(L)
d = {"a": 1, "b": 2}
del d["a"]
print(d)
class C:
    pass
c = C()
c.attr = 1
del c.attr
print(hasattr(c, "attr"))
a, b = 1, 2
del a, b
try:
    print(a)
except NameError as e:
    print(e)
