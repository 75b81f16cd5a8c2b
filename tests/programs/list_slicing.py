L = list(range(10))
print(L[2:5], L[:3], L[7:], L[-2:], L[::3], L[::-1], L[8:2:-2])
L[2:5] = ["a", "b"]
print(L)
L[:0] = [-1]
print(L)
L[::2] = [0] * len(L[::2])
print(L)
del L[1::2]
print(L)
try:
    L[::2] = [1, 2, 3, 4, 5, 6, 7]
except ValueError as e:
    print("ValueError:", e)
print(L[100:], L[-100:1])
