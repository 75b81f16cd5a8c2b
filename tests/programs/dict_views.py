d = {"a": 1, "b": 2}
ks = d.keys()
vs = d.values()
items = d.items()
d["c"] = 3
print(ks, vs, items)
print(len(ks), "a" in ks, 3 in vs, ("b", 2) in items)
print(sorted(ks & {"a", "z"}), type(ks).__name__)
