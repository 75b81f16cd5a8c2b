def outer_function(msg):
    def inner_function():
        print(msg)
    return inner_function

hello_func = outer_function("Hello")
hello_func()  # Output: Hello
bye_func = outer_function("Bye")
bye_func()
hello_func()
print(hello_func.__name__)
print(hello_func.__closure__[0].cell_contents)
