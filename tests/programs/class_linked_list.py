class Node:
    def __init__(self, value, next=None):
        self.value = value
        self.next = next

class LinkedList:
    def __init__(self):
        self.head = None
        self.size = 0
    def push(self, value):
        self.head = Node(value, self.head)
        self.size += 1
    def __len__(self):
        return self.size
    def __iter__(self):
        node = self.head
        while node:
            yield node.value
            node = node.next
    def __repr__(self):
        return " -> ".join(str(v) for v in self) or "empty"

ll = LinkedList()
print(ll)
for i in range(1, 6):
    ll.push(i)
print(ll, len(ll), sum(ll))
