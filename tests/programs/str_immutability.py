s = "hello"
t = s
s += " world"
print(s, t, s is t)
u = t.upper()
print(t, u)
parts = []
for word in ["a", "b", "c"]:
    parts.append(word * 2)
print("".join(parts))
