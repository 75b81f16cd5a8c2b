import math
print(math.pi, math.e, math.tau)
print(math.sqrt(16), math.sqrt(2), math.floor(-2.5), math.ceil(-2.5), math.trunc(2.7))
print(math.factorial(20), math.gcd(12, 18), math.fabs(-3))
print(math.isnan(float("nan")), math.isinf(float("-inf")), math.inf)
print(math.log(math.e), math.log10(1000), math.log2(8), math.log(8, 2))
print(math.sin(0), math.cos(0), round(math.sin(math.pi / 2), 10))
print(math.hypot(3, 4), math.pow(2, 10), math.isclose(0.1 + 0.2, 0.3))
try:
    math.sqrt(-1)
except ValueError as e:
    print("ValueError:", e)
