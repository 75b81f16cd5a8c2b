print(type(1), type("a"), type([]), type(None), type(len), type(lambda: 0))
print(type(1) is int, type(True) is bool, type(type(1)).__name__)
a = [1]
b = a
c = [1]
print(id(a) == id(b), id(a) == id(c), isinstance(id(a), int))
print(hash(1) == hash(1.0), hash(42), hash(True), hash((1, 2)) == hash((1, 2)))
print(hash("same") == hash("same"), hash(None) == hash(None))
try:
    hash([])
except TypeError as e:
    print("TypeError:", e)
print(type("x")("y"), type(5)("7") + 1)
