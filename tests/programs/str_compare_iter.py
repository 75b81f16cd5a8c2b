words = ["banana", "Apple", "cherry", "apple"]
print(sorted(words))
print(sorted(words, key=str.lower))
print("abc" == "abc", words is not None, "a" * 0 == "")
counts = {}
for ch in "mississippi":
    counts[ch] = counts.get(ch, 0) + 1
print(counts)
print(list("hey"), tuple("ab"), str(123) + str(4.5) + str(None))
