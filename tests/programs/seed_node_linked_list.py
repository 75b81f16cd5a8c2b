class Node:
    def __init__(self, value):
        self.value = value
        self.next = None

head = Node(1)  # 'head' is a reference to an object allocated on the heap
current = head
for i in range(2, 6):
    current.next = Node(i)
    current = current.next

node = head
values = []
while node is not None:
    values.append(node.value)
    node = node.next
print(values)
print(head.next.next.value, current.value, current.next)
