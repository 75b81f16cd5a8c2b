def example_function():
    x = 10  # 'x' is a local name bound to a (cached) int object
    y = 20
    return x + y

print(example_function())
print(example_function.__code__.co_varnames)
