def square(x):
    return x * x

func = square  # Assigning function to a variable
print(func(5))  # Output: 25
print(func is square)
print(func.__name__)
del square
print(func(7))
