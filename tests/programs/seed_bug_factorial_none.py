def factorial(n):
    '''Calculates the factorial of a number demonstrating memory usage.'''
    # Base case: factorial of 0 or 1 is 1
    if n == 0 or n == 1:
        return 1
        # Recursive case: n * factorial of n-1
        result = n * factorial(n - 1)
        return result

fact_result = factorial(5)
print(f'The factorial of 5 is {fact_result}')
print(factorial(1), factorial(0))
