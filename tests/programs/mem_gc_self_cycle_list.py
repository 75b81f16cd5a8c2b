import gc
gc.collect()
L = []
L.append(L)
del L
print(gc.collect())
d = {}
d["self"] = d
del d
print(gc.collect())
print(gc.collect())
