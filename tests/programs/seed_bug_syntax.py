def recursive_printer(n):
    '''Prints numbers recursively demonstrating the function stack in Python.'''
    if n < 1:
        print(n) # Display the current value of n
        recursive_printer(n - 1) # Recursive call
        print(n) # This will print on the way back up the stack

def factorial(n):
    '''Calculates the factorial of a number demonstrating memory usage.'''
    # Base case: factorial of 0 or 1 is 1
    if n == 0 or n == 1:
        return 1
        # Recursive case: n * factorial of n-1
        result = n * factorial(n - 1)
        return result

# Demonstrating function stack by printing numbers
print('Displaying the function stack with recursion:')

# Demonstrating memory usage with factorial calculation
Calculating factorial to demonstrate memory usage:')
fact_result = factorial(5)
print(f'The factorial of 5 is {fact_result}')
