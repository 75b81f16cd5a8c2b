import gc

class Tracked:
    def __del__(self):
        print("freed Tracked")

def make():
    t = Tracked()
    def f():
        return t
    t.f = f
    return t

gc.collect()
x = make()
del x
print("refcount cannot free it")
print("collected", gc.collect() > 0)
