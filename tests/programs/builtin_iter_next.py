it = iter([10, 20])
print(next(it), next(it), next(it, "end"))
s = iter("ab")
print(list(s), list(s))
d = iter({"k1": 1, "k2": 2})
print(next(d), next(d))
r = iter(range(3))
print(next(r), list(r))
class Counter:
    def __init__(self):
        self.n = 0
    def __call__(self):
        self.n += 1
        return self.n
print(list(iter(Counter(), 4)))
try:
    next([1])
except TypeError as e:
    print("TypeError:", e)
