a = 100
b = 50 + 50
print(a is b)
c = int("256")
d = int("256")
print(c is d)
e = int("257")
f = int("257")
print(e is f, e == f)
g = int("-5")
h = int("-5")
print(g is h)
i = int("-6")
j = int("-6")
print(i is j)
k = 2 ** 8
print(k is 256 + 0 * k)
