d = {"x": 1}
print(d.get("x"), d.get("y"), d.get("y", 0))
print(d.setdefault("y", []), d)
d.setdefault("y", []).append(5)
print(d)
d.update({"z": 3}, w=4)
print(d)
print(d.pop("z"), d.pop("nope", "default"), d)
print(d.popitem(), d)
e = d.copy()
e["x"] = 100
print(d, e)
e.clear()
print(e, {}.fromkeys("ab", 0))
