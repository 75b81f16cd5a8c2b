d = {}
d[(1, 2)] = "tuple"
d[42] = "int"
d[None] = "none"
d["s"] = "str"
print(d)
print(d[(1, 2)], d[42.0], d[None])
try:
    d[[1]] = "list"
except TypeError as e:
    print("TypeError:", e)
try:
    d[{}]
except TypeError as e:
    print("TypeError:", e)
