import tracemalloc
print(tracemalloc.is_tracing())
tracemalloc.start()
print(tracemalloc.is_tracing())
current, peak = tracemalloc.get_traced_memory()
print(type(current).__name__, current >= 0, peak >= current)
data = [list(range(100)) for _ in range(100)]
current2, peak2 = tracemalloc.get_traced_memory()
print("grew:", current2 > current + 50000, peak2 >= current2)
del data
current3, peak3 = tracemalloc.get_traced_memory()
print("shrank:", current3 < current2, "peak kept:", peak3 >= peak2)
tracemalloc.stop()
print(tracemalloc.is_tracing(), tracemalloc.get_traced_memory())
