L = [1, 2]
L.append(L)
print(L)
d = {"self": None}
d["self"] = d
print(d)
a = [1]
b = [a]
a.append(b)
print(a, b)
