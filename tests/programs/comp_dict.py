print({x: x * x for x in range(5)})
words = ["apple", "bob", "kiwi"]
print({w: len(w) for w in words})
print({k: v for k, v in zip("abc", range(3)) if v != 1})
inverted = {v: k for k, v in {"a": 1, "b": 2}.items()}
print(inverted)
