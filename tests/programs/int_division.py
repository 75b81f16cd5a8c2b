for a in [7, -7]:
    for b in [2, -2]:
        print(a, b, a // b, a % b, divmod(a, b), a / b)
print(10 ** 20 // 3, 10 ** 20 % 3, -(10 ** 20) // 3, -(10 ** 20) % 7)
print(divmod(10 ** 25, 10 ** 12 + 1))
