print(dict(), dict(a=1), dict({"b": 2}, c=3), dict([["k", "v"]]))
print(list(), list((1, 2)), list({"x": 1}), list(range(3)), list(x for x in "ab"))
print(tuple(), tuple([1]), tuple("xy"), set(), set("aab") == {"a", "b"})
try:
    dict([1, 2])
except TypeError as e:
    print("TypeError:", e)
