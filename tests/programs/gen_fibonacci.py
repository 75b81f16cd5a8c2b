def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b

out = []
for v in fib():
    if v > 1000:
        break
    out.append(v)
print(out)
g = fib()
for _ in range(100):
    v = next(g)
print(v)
