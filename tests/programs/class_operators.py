class Vec:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y)
    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)
    def __lt__(self, other):
        return (self.x, self.y) < (other.x, other.y)
    def __repr__(self):
        return f"Vec({self.x}, {self.y})"

print(Vec(1, 2) + Vec(3, 4), Vec(1, 2) * 3)
print(sorted([Vec(2, 0), Vec(1, 5), Vec(1, 2)]))
print(Vec(1, 1) < Vec(2, 0), Vec(3, 0) > Vec(2, 9))
try:
    Vec(1, 1) - Vec(1, 1)
except TypeError as e:
    print("TypeError:", e)
