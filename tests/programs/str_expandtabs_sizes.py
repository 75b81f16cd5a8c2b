# expandtabs takes a C int: a tab size past 2**31 - 1 is an OverflowError, as in CPython.
text = "a\tbc\td\n\te"
for size in (0, 1, 3, 8, -4):
    print(repr(text.expandtabs(size)))
for size in (2**31, 10**10, -2**40):
    try:
        text.expandtabs(size)
    except OverflowError as e:
        print(size, "OverflowError:", e)
print(repr("no tabs".expandtabs(2**31 - 1)))
