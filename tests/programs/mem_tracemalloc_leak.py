import tracemalloc
leak = []
tracemalloc.start()
base, _ = tracemalloc.get_traced_memory()
for i in range(1000):
    leak.append([i] * 10)
grown, _ = tracemalloc.get_traced_memory()
print("leaked bytes over 50000:", grown - base > 50000)
leak.clear()
after, _ = tracemalloc.get_traced_memory()
print("released:", after - base < 10000)
tracemalloc.stop()
