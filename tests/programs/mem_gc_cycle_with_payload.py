import gc

class Payload:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("payload freed", self.n)

class Holder:
    pass

gc.collect()
h1 = Holder()
h2 = Holder()
h1.peer = h2
h2.peer = h1
h1.payload = Payload(1)
h2.payload = Payload(2)
del h1, h2
print("collecting")
print("found", gc.collect())
print("end")
