print(round(2.5), round(3.5), round(-2.5), round(0.5), round(1.5))
print(round(3.14159, 2), round(2.675, 2), round(1234.5678, -2), round(-0.5))
print(round(7), round(15, -1), round(25, -1), type(round(2.5)).__name__, type(round(2.5, 1)).__name__)
print(int(2.9), int(-2.9), float(7), float(2 ** 60))
