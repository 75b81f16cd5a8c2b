# A linked list of 250 Nodes whose __repr__ recurses through the rest of the list in
# an f-string: each node costs two levels of the recursion limit (the __repr__ call
# and the C call that formats it), so 250 nodes fit under the default limit of 1000.
class Node:
    def __init__(self, value, next=None):
        self.value = value
        self.next = next

    def __repr__(self):
        return f"Node({self.value}, {self.next!r})"

    def __eq__(self, other):
        return (isinstance(other, Node) and self.value == other.value
                and self.next == other.next)


def build(n):
    head = None
    for i in reversed(range(n)):
        head = Node(i, head)
    return head


a, b = build(250), build(250)
text = repr(a)
print(len(text), text[:40], text[-12:])
print(a == b)
b.next.next.value = -1
print(a == b)
