# CPython 3.11 keeps a plain instance's attributes inline: no dict object is made, and
# the collector counts one allocation per instance, until __dict__ is asked for.
import gc
gc.disable()

class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

gc.collect()
c0 = gc.get_count()[0]
points = [Point(i, -i) for i in range(100)]
c1 = gc.get_count()[0]
print("one count per point, not two:", 100 <= c1 - c0 < 150)
dicts = [p.__dict__ for p in points]
c2 = gc.get_count()[0]
print("asking for __dict__ makes 100 dicts:", 100 <= c2 - c1 < 150)
print(dicts[3], dicts[3] is points[3].__dict__)
del dicts, points

a = Point(1, 2)
b = Point(3, 4)
a.other = b
b.other = a
del a, b
print("a two-point cycle collects:", gc.collect())
c = Point(5, 6)
c.__dict__
c.me = c
del c
print("a point whose __dict__ was asked for:", gc.collect())
d = Point(7, 8)
dir(d)
d.me = d
del d
print("dir() asks for __dict__ too:", gc.collect())
gc.enable()
