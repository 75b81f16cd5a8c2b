def power(base, exp=2):
    return base ** exp

print(power(3), power(3, 3), power(exp=0, base=9))

def greet(greeting="Hello", name="you"):
    return greeting + ", " + name

print(greet(), greet("Hi"), greet(name="Ann"))
print(power.__defaults__, greet.__defaults__)
