def recursive_printer(n):
    '''Prints numbers recursively demonstrating the function stack in Python.'''
    if n < 1:
        print(n) # Display the current value of n
        recursive_printer(n - 1) # Recursive call
        print(n) # This will print on the way back up the stack

print('Displaying the function stack with recursion:')
recursive_printer(3)
print('nothing was printed: the test is n < 1')
