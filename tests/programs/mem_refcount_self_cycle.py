import sys

a = []
print(sys.getrefcount(a))
a.append(a)
print(sys.getrefcount(a))
b = {}
b["me"] = b
print(sys.getrefcount(b))

class Node:
    pass

n = Node()
n.self = n
print(sys.getrefcount(n))
