for x in [1, 3, 5]:
    if x % 2 == 0:
        print("found even", x)
        break
else:
    print("no even number")
for x in [1, 4, 5]:
    if x % 2 == 0:
        print("found even", x)
        break
else:
    print("not printed")
for ch in "abc":
    print(ch, end=" ")
print()
for i, (a, b) in enumerate([(1, 2), (3, 4)]):
    print(i, a, b)
