import gc

class WithDel:
    def __del__(self):
        pass

gc.collect()
a = WithDel()
b = WithDel()
a.b = b
b.a = a
del a, b
gc.collect()
print(gc.garbage, len(gc.garbage))
