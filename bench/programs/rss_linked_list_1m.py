class Node:
    def __init__(self, value, next):
        self.value = value
        self.next = next

head = None
for i in range(1_000_000):
    head = Node(i, head)
head = None
print("built and freed 1,000,000 nodes")
