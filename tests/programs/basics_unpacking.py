a, b, c = [1, 2, 3]
print(a, b, c)
x, y = "xy"
print(x, y)
(p, q), r = [(1, 2), 3]
print(p, q, r)
for k, v in {"one": 1, "two": 2}.items():
    print(k, v)
try:
    a, b = [1, 2, 3]
except ValueError as e:
    print("ValueError:", e)
try:
    a, b, c = [1, 2]
except ValueError as e:
    print("ValueError:", e)
