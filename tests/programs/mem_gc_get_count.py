import gc
gc.collect()
print(gc.get_count())
keep = []
before = gc.get_count()[0]
for _ in range(100):
    keep.append([])
after = gc.get_count()[0]
print("tracked allocations counted:", after > before)
gc.collect()
print(gc.get_count())
print(gc.get_count()[1], gc.get_count()[2])
