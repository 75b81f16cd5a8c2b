a = {1, 2, 3, 4}
b = {3, 4, 5}
print(a | b, a & b, a - b, b - a, a ^ b)
print(a.union(b), a.intersection(b), a.difference(b), a.symmetric_difference(b))
print({1, 2} <= a, {1, 2} < a, a >= {1}, a.issubset(b), {9}.isdisjoint(a))
print(sorted({"x", "y"} | {"z"}), {1, 2} == {2, 1}, len({1, 1.0, True}))
try:
    {[1]}
except TypeError as e:
    print("TypeError:", e)
