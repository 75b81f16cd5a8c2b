import gc

class Obj:
    pass

gc.collect()
gc.disable()
o = Obj()
def where(x):
    return [g for g in range(3) if any(y is x for y in gc.get_objects(g))]
print("new object:", where(o))
gc.collect(0)
print("survived gen 0:", where(o))
gc.collect(1)
print("survived gen 1:", where(o))
gc.collect(1)
print("stays in the oldest it reached:", where(o))
gc.enable()
