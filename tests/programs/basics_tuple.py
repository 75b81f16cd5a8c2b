t = (1, 2, 3)
print(t, len(t), t[0], t[-1], t[1:])
print((), (1,), tuple([4, 5]), tuple("ab"))
print(t + (4,), t * 2, 2 in t, t.index(3), t.count(1))
a, b, c = t
print(a + b + c)
print((1, 2) == (1, 2), (1, 2) < (1, 3), hash((1, 2)) == hash((1, 2)))
nested = ((1, 2), [3, 4])
nested[1].append(5)
print(nested)
try:
    t[0] = 9
except TypeError as e:
    print("TypeError:", e)
print(max((3, 1), (2, 9)), sorted([(2, "b"), (1, "z"), (2, "a")]))
