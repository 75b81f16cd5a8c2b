L = [1, 2, 3]
print(2 in L, 4 in L, 4 not in L)
print("ell" in "hello", "x" not in "hello")
print(1 in {1: "a"}, "a" in {1: "a"})
print(3 in range(5), 5 in range(5))
a = [1]
b = a
c = [1]
print(a is b, a is c, a == c, a is not c)
print(None is None, type(None) is type(None))
x = None
print(x is None, x is not None)
