def factorial(n):
    if n == 1:
        return 1
    else:
        return n * factorial(n - 1)

print(factorial(5))  # Output: 120
print(factorial(1))
print(factorial(20))
print(factorial(50))
