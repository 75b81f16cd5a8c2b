x = 10  # Global variable

def increment():
    global x
    x += 1

increment()
print(x)  # Output: 11
increment()
increment()
print(x)
