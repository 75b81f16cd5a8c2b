print({x % 3 for x in range(10)})
print(sorted({len(w) for w in ["a", "bb", "cc", "ddd"]}))
s = {x * x for x in [-2, -1, 0, 1, 2]}
print(sorted(s), len(s))
