def greet(name):
    print(f"Hello, {name}!")

greet("Ada")
greet("world")
print(greet("again"))
print(type(greet).__name__, greet.__name__)
