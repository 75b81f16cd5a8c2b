# One ** on big ints: 10**(10**8) has 100 million digits. Its multiplications are
# charged to the step budget before they run (CPython would compute for minutes).
print("before")
x = 10 ** 10 ** 8
print("never printed")
