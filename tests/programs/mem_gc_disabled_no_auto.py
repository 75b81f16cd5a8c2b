import gc

finalized = []

class Node:
    def __init__(self, i):
        self.i = i
    def __del__(self):
        finalized.append(self.i)

gc.collect()
gc.disable()
for i in range(3000):
    n = Node(i)
    n.me = n
del n
print("finalized while disabled:", len(finalized))
gc.collect()
print("after explicit collect:", len(finalized))
gc.enable()
