def letters():
    yield "a"
    yield "b"

g = letters()
print(iter(g) is g)
print(list(zip(letters(), range(10))))
print(list(enumerate(letters(), 1)))
print(dict(zip(letters(), [1, 2])))
print("-".join(letters()))
a, b = letters()
print(a, b)
