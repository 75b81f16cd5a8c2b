def compute(a, b, c):
    return a + b * c

def f(items):
    return items[0].upper() + items[1]

print(compute(1, 2, 3))
f(["a", None])
