class P:
    kind = "p"
    def __init__(self):
        self.x = 1
        self.y = 2

p = P()
print(p.__dict__)
p.z = 3
print(p.__dict__)
print(P.__name__, "kind" in P.__dict__, "x" in P.__dict__)
print(p.__class__ is P, p.__class__.__name__)
