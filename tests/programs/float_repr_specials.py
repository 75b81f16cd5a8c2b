values = [1/7, 22/7, 1e100, 1.0e-100, 9007199254740993.0, 0.1 * 3, 4.35 * 100, 1.23e-7, 3e20, 3e-4]
for v in values:
    print(v)
print(str(1.0), str(1e0), str(-1e-10), 1e16 - 1, 123e3)
print(float("0.1"), float(".5"), float("5."), float("-0"))
