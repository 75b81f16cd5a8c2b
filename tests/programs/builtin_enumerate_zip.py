print(list(enumerate("abc")), list(enumerate(["x", "y"], start=1)))
for i, (a, b) in enumerate(zip("ab", "cd")):
    print(i, a, b)
print(list(zip([1, 2, 3], "ab")), list(zip()), list(zip([1])))
names = ["a", "b"]
ages = [1, 2]
print(dict(zip(names, ages)))
pairs = [(1, "x"), (2, "y")]
nums, lets = zip(*pairs)
print(nums, lets)
