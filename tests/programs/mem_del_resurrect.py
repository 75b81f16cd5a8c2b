import gc
saved = []

class Phoenix:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("__del__", self.name)
        saved.append(self)

p = Phoenix("p")
del p
print("resurrected:", len(saved), saved[0].name)
saved.clear()
print("second drop does not call __del__ again")
gc.collect()
print("end")
