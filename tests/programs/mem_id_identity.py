a = [1, 2]
b = a
c = list(a)
print(id(a) == id(b), id(a) == id(c), a is b, a is c)
def same(x):
    return id(x)
print(same(a) == id(a))
class C:
    pass
o = C()
ids = {id(o)}
o.x = 5
print(id(o) in ids)
