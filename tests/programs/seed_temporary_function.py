def temporary_function():
    data = [1, 2, 3, 4, 5]  # This list is created inside the function
    return sum(data)

print(temporary_function())  # Output: 15
print(temporary_function() * 2)
