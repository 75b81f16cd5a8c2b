s = "abcdefgh"
print(s[0], s[-1], s[2:5], s[:3], s[5:], s[-3:])
print(s[::2], s[::-1], s[1:7:3], s[10:], s[-100:2])
print(len(s), s[len(s) - 1])
for i, ch in enumerate("xyz"):
    print(i, ch)
print("abc" * 3, "ab" + "cd", "b" in "abc", "abc" < "abd", "Z" < "a")
try:
    s[0] = "z"
except TypeError as e:
    print("TypeError:", e)
