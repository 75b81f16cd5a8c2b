print(sorted([3, 1, 2]), sorted("cba"), sorted((2, 1)), sorted({3: "a", 1: "b"}))
print(sorted([3, 1, 2], reverse=True), sorted(["bb", "a", "ccc"], key=len))
r = reversed([1, 2, 3])
print(type(r).__name__, list(r), list(r))
print(list(reversed("abc")), list(reversed(range(4))), list(reversed((1, 2))))
class Seq:
    def __len__(self): return 3
    def __getitem__(self, i): return i * 10
print(list(reversed(Seq())))
