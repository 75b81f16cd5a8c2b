square = lambda x: x * x
add = lambda a, b=10: a + b
print(square(4), add(1), add(1, 2))
print((lambda: "no args")())
print(sorted(["ccc", "a", "bb"], key=lambda s: len(s)))
print(list(map(lambda x: x + 1, [1, 2, 3])))
print(square.__name__)
make_adder = lambda n: lambda x: x + n
print(make_adder(5)(10))
