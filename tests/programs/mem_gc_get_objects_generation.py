import gc

class Marker:
    pass

gc.collect()
m = Marker()
in0 = any(o is m for o in gc.get_objects(0))
in2 = any(o is m for o in gc.get_objects(2))
print("young:", in0, "old:", in2)
gc.collect()
in0 = any(o is m for o in gc.get_objects(0))
in2 = any(o is m for o in gc.get_objects(2))
print("after full collect -> young:", in0, "old:", in2)
