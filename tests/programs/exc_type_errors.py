nothing = None
pair = [1, 2]
text = "abc"
cases = [
    lambda: 1 + "a", lambda: "a" + 1, lambda: [] + (), lambda: len(5),
    lambda: "x" * "y", lambda: -"s", lambda: nothing(), lambda: pair["a"],
    lambda: {}[[]], lambda: 1 < "a", lambda: sum(["a"]), lambda: int([]),
    lambda: text[1.5], lambda: iter(5),
]
for c in cases:
    try:
        c()
    except TypeError as e:
        print(e)
