def f():
    n = 10
    return [n + i for i in range(3)]
print(f())

class C:
    base = 5
    values = [i * 2 for i in range(3)]
print(C.values)
total = 1
print([total + i for i in range(3)])
print(sum(i for i in range(5)), list(map(lambda t: t * total, range(3))))
