import gc

class A:
    pass

gc.collect()
x = A()
y = A()
x.y = y
y.x = x
x.data = [1, 2, 3]
del x, y
print(gc.collect())
z = [[], []]
z[0].append(z)
del z
print(gc.collect())
