row = [0] * 3
grid = [row] * 3
grid[0][0] = 1
print(grid)
grid = [[0] * 3 for _ in range(3)]
grid[0][0] = 1
print(grid)
a = [1, 2]
b = a
b += [3]
print(a, a is b)
c = a[:]
c.append(4)
print(a, c)
