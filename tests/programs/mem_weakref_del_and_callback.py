import weakref

class T:
    def __del__(self):
        print("__del__ runs")

def cb(ref):
    print("callback runs, ref() ->", ref())

t = T()
r = weakref.ref(t, cb)
del t
print("end")
