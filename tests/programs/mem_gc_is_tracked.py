import gc

class C:
    pass

print(gc.is_tracked(0), gc.is_tracked(2 ** 100), gc.is_tracked(1.5), gc.is_tracked("s"))
print(gc.is_tracked(None), gc.is_tracked(True))
print(gc.is_tracked([]), gc.is_tracked([1, 2]))
print(gc.is_tracked({}), gc.is_tracked({"a": 1}), gc.is_tracked({"a": []}))
print(gc.is_tracked(C()), gc.is_tracked(C), gc.is_tracked(lambda: 0))
print(gc.is_tracked(set()), gc.is_tracked({1, 2}))
d = {"a": 1}
print(gc.is_tracked(d))
d["b"] = [1]
print(gc.is_tracked(d))
