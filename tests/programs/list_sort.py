nums = [5, 2, 9, 1, 5, 6]
print(sorted(nums), nums)
nums.sort(reverse=True)
print(nums)
words = ["banana", "pie", "Apple", "fig"]
print(sorted(words), sorted(words, key=len), sorted(words, key=len, reverse=True))
pairs = [(2, "b"), (1, "b"), (2, "a")]
pairs.sort(key=lambda p: p[1])
print(pairs)
try:
    [1, "a"].sort()
except TypeError as e:
    print("TypeError:", e)
