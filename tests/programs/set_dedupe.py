data = [5, 3, 5, 1, 3, 9, 1]
print(sorted(set(data)), len(set(data)))
seen = set()
unique = []
for x in data:
    if x not in seen:
        seen.add(x)
        unique.append(x)
print(unique)
print({(1, 2), (1, 2), (2, 1)} == {(2, 1), (1, 2)})
words = ["b", "a", "b", "c", "a"]
print(sorted(set(words)))
