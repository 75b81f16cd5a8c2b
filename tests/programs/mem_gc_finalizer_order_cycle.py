import gc

class Node:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)

gc.collect()
ring = [Node(f"n{i}") for i in range(4)]
for i in range(4):
    ring[i].next = ring[(i + 1) % 4]
del ring
print("collecting a 4-node ring")
print(gc.collect())
