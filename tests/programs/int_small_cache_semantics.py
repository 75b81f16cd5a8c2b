a = 256
b = 256
print(a is b)
x = int("256")
y = int("256")
print(x is y)
x = int("257")
y = int("257")
print(x is y, x == y)
print(int("-5") is int("-5"), int("-6") is int("-6"))
