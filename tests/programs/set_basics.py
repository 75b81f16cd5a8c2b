s = {3, 1, 2}
print(s, len(s), 2 in s, 5 in s)
s.add(4); s.add(1)
print(s)
s.discard(10); s.remove(3)
print(s)
try:
    s.remove(99)
except KeyError as e:
    print("KeyError:", e)
print(set(), set([1, 1, 2]), set(range(5)))
print(s.pop(), s)
e = {5, 6}
e.update([7, 8]); print(e)
e.clear(); print(e)
