import gc

class Marker:
    pass

m = Marker()
found = [o for o in gc.get_objects() if isinstance(o, Marker)]
print(len(found), found[0] is m)
L = [m]
print(any(o is L for o in gc.get_objects()))
big = 10 ** 20
print(any(o is big for o in gc.get_objects()))
del m, found, L
print(sum(1 for o in gc.get_objects() if isinstance(o, Marker)))
