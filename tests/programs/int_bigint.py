def factorial(n):
    result = 1
    for i in range(2, n + 1):
        result *= i
    return result

print(factorial(50))
print(2 ** 200)
print(2 ** 64, 2 ** 63 - 1, -(2 ** 63))
big = 10 ** 30 + 7
print(big * big, big // 3, big % 1000, -big // 7)
print(len(str(3 ** 1000)), str(7 ** 77)[:20])
print((2 ** 100) // (2 ** 98), (2 ** 100) - (2 ** 100 - 1))
