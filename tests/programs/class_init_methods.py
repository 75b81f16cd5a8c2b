class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def move(self, dx, dy):
        self.x += dx
        self.y += dy
        return self

    def dist2(self):
        return self.x ** 2 + self.y ** 2

p = Point(3, 4)
print(p.x, p.y, p.dist2())
p.move(1, 1).move(1, 1)
print(p.x, p.y)
print(type(p).__name__, type(p) is Point, isinstance(p, Point))
m = p.move
print(m(0, 0) is p)
