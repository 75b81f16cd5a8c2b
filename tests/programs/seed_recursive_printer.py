def recursive_printer(n):
    '''Prints numbers recursively demonstrating the function stack in Python.'''
    if n >= 1:
        print(n)  # on the way down
        recursive_printer(n - 1)
        print(n)  # on the way back up

def factorial(n):
    '''Calculates the factorial of a number demonstrating memory usage.'''
    if n == 0 or n == 1:
        return 1
    result = n * factorial(n - 1)
    return result

print('Displaying the function stack with recursion:')
recursive_printer(3)
print('Calculating factorial to demonstrate memory usage:')
fact_result = factorial(5)
print(f'The factorial of 5 is {fact_result}')
print(recursive_printer.__doc__)
