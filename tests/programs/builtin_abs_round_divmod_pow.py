print(abs(-5), abs(5), abs(-2.5), abs(0), abs(-10 ** 30), abs(True))
print(round(2.567, 1), round(-1.5), round(1e10 + 0.5), round(5))
print(divmod(17, 5), divmod(-17, 5), divmod(17.5, 5))
print(pow(3, 4), pow(2, -2), pow(7, 2, 5), pow(-3, 3))
