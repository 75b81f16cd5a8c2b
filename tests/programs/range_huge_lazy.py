# A range is lazy: a trillion numbers cost three ints. Lengths, indices and slices
# are Py_ssize_t (64 bits) in CPython, and so here, in the page's 32-bit engine too.
r = range(10**12)
print(len(r), r[10**11], 10**11 in r, r[-1])
print(r[::2], len(r[::2]))
print(r[10:20], list(r[10:13]))
print(r[2**40:], r[::-1], r[-2**33])
print(r.index(5 * 10**10), r.count(7), len(range(0, 10**12, 7)))
print(next(reversed(r)), bool(r))
evens = range(0, 2**40, 2)
print(evens[2**35], evens[2**35:2**35 + 4], list(evens[2**35:2**35 + 4]))

class Big:
    def __len__(self):
        return 2**40
print(len(Big()))

class Huge:
    def __len__(self):
        return 2**63
try:
    len(Huge())
except OverflowError as e:
    print("OverflowError:", e)

# Indices past any length are IndexError, however big.
for seq in ([1, 2], "ab", (1,)):
    try:
        seq[2**40]
    except IndexError as e:
        print("IndexError:", e)
print([1, 2, 3][1:2**40], "abc"[1:2**35], (1, 2, 3)[::2**40])
print(slice(1, None, 2).indices(2**40))
x = [0, 1, 2, 3]
x[::2**40] = ["a"]
print(x)
del x[1::2**33]
print(x)

# __length_hint__ only sizes the list that list() builds, but it is checked.
class Hint:
    def __init__(self, hint):
        self.hint = hint
    def __iter__(self):
        return iter([1, 2])
    def __length_hint__(self):
        return self.hint
print(list(Hint(NotImplemented)), list(Hint(0)), list(Hint(5)))
try:
    list(Hint(2**40))
except MemoryError:
    print("MemoryError")
for bad in (-1, "x"):
    try:
        list(Hint(bad))
    except (ValueError, TypeError) as e:
        print(type(e).__name__ + ":", e)
