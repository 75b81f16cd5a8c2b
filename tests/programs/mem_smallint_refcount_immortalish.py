import sys
n = int("1000")
print(sys.getrefcount(n))
m = n
print(sys.getrefcount(n))
big = int("1" + "0" * 20)
print(sys.getrefcount(big))
