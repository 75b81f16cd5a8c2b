# Powers with whole-number exponents, as a lesson writes them: compound interest,
# scientific notation, reciprocals. Each result is the double CPython prints.
rate = 1.05
balance = 1000.0
for year in range(1, 11):
    balance = 1000.0 * rate ** year
print(round(balance, 2), rate ** 10, 1.06 ** 3)
print(10 ** -5, 5 ** -5, 7 ** -2, 2 ** -10, 3.0 ** -4)
print(2.5 ** 3, 0.1 ** 3, (-1.5) ** 5, (-1.5) ** 4, 1.5 ** 0, 0.5 ** 60)
print([1.1 ** n for n in range(-6, 7)])
print([round(0.9 ** n, 12) for n in range(0, 30, 7)])
import math
print(math.pow(1.05, 10), math.pow(2, -3), math.pow(-2.0, 3), pow(1.5, -7))
print(1e-5 ** 3, 123.456 ** 5, 1.0000001 ** 1000000)
try:
    10.0 ** 400
except OverflowError as e:
    print("OverflowError:", e)
print(10.0 ** -400, 2.0 ** 1023, (-0.5) ** -3)
