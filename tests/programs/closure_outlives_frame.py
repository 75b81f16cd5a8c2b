def outer_function(msg):
    data = [msg] * 3
    def inner_function():
        return " ".join(data)
    return inner_function

f = outer_function("hey")
del outer_function
print(f())
print(f.__closure__[0].cell_contents)
