total = 1 + \
        2 + \
        3
print(total)
items = [
    1,
    2,  # comment inside brackets
    3,
]
print(items)
d = {"a": 1,
     "b": 2}
print(d)
s = ("implicit "
     "concatenation")
print(s)
if (total > 5 and
        len(items) == 3):
    print("multi-line condition")
x = 1; y = 2; print(x + y)
