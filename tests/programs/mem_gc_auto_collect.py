import gc

finalized = []

class Node:
    def __init__(self, i):
        self.i = i
    def __del__(self):
        finalized.append(self.i)

gc.collect()
print(gc.get_threshold())
gc.set_threshold(100, 10, 10)
print(gc.get_threshold())
for i in range(3000):
    n = Node(i)
    n.me = n
del n
print("some finalized automatically:", len(finalized) > 0)
print("not all yet:", len(finalized) < 3000)
gc.collect()
print("all after collect:", len(finalized) == 3000, sorted(finalized) == list(range(3000)))
gc.set_threshold(700, 10, 10)
