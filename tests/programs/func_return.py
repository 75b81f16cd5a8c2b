def nothing():
    return

def implicit():
    x = 1

def pair():
    return 1, 2

def early(n):
    for i in range(10):
        if i == n:
            return i * 100
    return -1

print(nothing(), implicit(), pair(), early(3), early(20))
a, b = pair()
print(a, b)
