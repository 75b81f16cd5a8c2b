import gc
gc.disable()
gc.collect()
print(gc.get_count())
c0 = gc.get_count()[0]
keep = [[] for _ in range(500)]
c1 = gc.get_count()[0]
print("500 new lists counted:", c1 - c0 > 400)
del keep
c2 = gc.get_count()[0]
print("freeing them lowers the count:", c2 < c1)
x = 1
y = 2.5
z = "text" * 3
print("atomic objects are not counted:", gc.get_count()[0] - c2 <= 1)
gc.enable()
