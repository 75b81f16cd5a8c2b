d = {"a": 1, "b": 2}
d["c"] = 3
d["a"] = 10
print(d, len(d), d["b"])
print("a" in d, "z" in d, 10 in d)
print(list(d), list(d.keys()), list(d.values()), list(d.items()))
del d["b"]
print(d)
d["b"] = 20
print(d)
print({1: "int", 1.0: "float?", True: "bool?"})
print(dict(a=1, b=2), dict([("x", 1), ("y", 2)]), dict(zip("ab", [1, 2])))
