def add(a, b):
    return a + b

result = add(3, 5)
print(result)
print(add("fra", "mes"))
print(add([1], [2, 3]))
