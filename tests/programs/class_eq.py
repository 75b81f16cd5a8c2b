class V:
    def __init__(self, x):
        self.x = x
    def __eq__(self, other):
        if not isinstance(other, V):
            return NotImplemented
        return self.x == other.x

print(V(1) == V(1), V(1) == V(2), V(1) != V(1), V(1) != V(2))
print(V(1) == 1, V(1) in [V(0), V(1)])
class Plain:
    pass
p = Plain()
print(p == p, Plain() == Plain())
try:
    hash(V(1))
except TypeError as e:
    print("TypeError:", e)
