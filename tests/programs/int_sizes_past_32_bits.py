# Sizes and precisions past 2**31 - 1: the web engine is 32-bit WebAssembly, where
# these once wrapped around (a heap overflow, a truncated string, a wrong repr).
for args in ((2**32, 1), (2**32 + 5, 1), (-2**40, 1)):
    try:
        print("%.*d" % args)
    except OverflowError as e:
        print("OverflowError:", e)
try:
    print("%.*s" % (2**32 + 1, "hello"))
except OverflowError as e:
    print("OverflowError:", e)
print("%.*s" % (3, "hello"))
print(format("hello", ".4294967297"), format("hello", ".4294967296") + "|", format("hello", ".2"))
r = range(2**32 + 10)
print(repr(r), repr(range(-2**33, 2**40, 3)))
print(r[-1], r[20], r[2**32 + 9], (2**32 + 3) in r)
try:
    r[2**32 + 10]
except IndexError as e:
    print("IndexError:", e)
import math
try:
    math.factorial(2**64)
except OverflowError as e:
    print("OverflowError:", e)
