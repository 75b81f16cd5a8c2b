import sys

# Past 4300 digits, str() of an int raises ValueError (CPython 3.11 guards against its
# quadratic time) until the limit is lifted. The trace shows such an int by its size
# ("an int of about 50000 digits"); its exact value is still what the program prints.
big = 10 ** 50000 + 12345
try:
    str(big)
except ValueError as e:
    print("ValueError:", e)
print(sys.get_int_max_str_digits())
sys.set_int_max_str_digits(0)
text = str(big)
print(len(text), text[:5], text[-5:])
print(big.bit_length(), big % 1000)
neg = -big * 3
print(len(str(neg)), str(neg)[:6], str(neg)[-6:])
print(hex(big)[:10], len(hex(big)))
edge = 10 ** 4300 - 1    # exactly 4300 digits: shown exactly in the trace
print(len(str(edge)), str(edge + 1)[:2])
