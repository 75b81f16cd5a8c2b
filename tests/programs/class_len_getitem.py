class Squares:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
    def __getitem__(self, i):
        if i >= self.n:
            raise IndexError("out of range")
        return i * i

s = Squares(5)
print(len(s), s[3], bool(s), bool(Squares(0)))
print(list(s))
print(4 in s, 5 in s)
for v in s:
    print(v, end=" ")
print()
try:
    s[9]
except IndexError as e:
    print("IndexError:", e)
