def multiply(a, b):
    result = a * b
    return result

print(multiply(2, 3))  # Output: 6
print(result)  # Error: result is not defined outside the function
