import sys
a = "hello"
b = "hello"
print(a is b)
c = "".join(["hel", "lo"])
print(a == c, a is c)
d = sys.intern(c)
print(d is a)
name1 = "identifier_like"
name2 = "identifier_like"
print(name1 is name2)
