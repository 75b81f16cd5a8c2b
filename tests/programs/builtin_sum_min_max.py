print(sum([1, 2, 3]), sum([]), sum([1, 2], 10), sum([0.5, 0.25]), sum(range(5), start=-10))
print(min(3, 1, 2), max(3, 1, 2), min([4, 5]), max("abc"), min("b", "a"))
print(max([1, -5, 3], key=abs), min(["aa", "b", "ccc"], key=len))
print(max([], default="empty"), min([], default=None))
print(max([(1, "b"), (1, "a")]), max(1, 2.5), min(-0.0, 0))
try:
    min()
except TypeError as e:
    print("TypeError:", e)
