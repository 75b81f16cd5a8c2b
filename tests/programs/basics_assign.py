a = 1
b = a
a = 2
print(a, b)
x = y = z = [1]
x.append(2)
print(x, y, z, x is y is z)
a, b = b, a
print(a, b)
(c, d), e = (3, 4), 5
print(c, d, e)
[f, g] = "hi"
print(f, g)
