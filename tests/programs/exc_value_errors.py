cases = [
    lambda: int("12x"), lambda: int(""), lambda: float("abc"), lambda: [1].index(5),
    lambda: "abc".index("z"), lambda: [].remove(1), lambda: int("9", 8),
    lambda: chr(-1), lambda: range(1, 2, 0), lambda: max([]),
]
for c in cases:
    try:
        c()
    except ValueError as e:
        print(type(e).__name__, e)
