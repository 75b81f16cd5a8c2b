import gc

class N:
    pass

gc.collect()
for gen in (0, 1, 2):
    a = N()
    a.me = a
    del a
    print("generation", gen, "found", gc.collect(gen))
print(gc.collect(generation=2))
try:
    gc.collect(3)
except ValueError as e:
    print("ValueError:", e)
