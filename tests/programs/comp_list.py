print([x * 2 for x in range(5)])
print([x for x in range(10) if x % 3 == 0])
print([(x, y) for x in range(3) for y in "ab"])
print([[i * j for j in range(3)] for i in range(3)])
print([c.upper() for c in "abc"])
x = "outer"
print([x for x in range(2)], x)
print([v if v > 0 else 0 for v in [-1, 2, -3]])
