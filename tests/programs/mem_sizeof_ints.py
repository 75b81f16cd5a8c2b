import sys
for v in [0, 1, 100, 2 ** 30 - 1, 2 ** 30, 2 ** 60, 2 ** 64, -1, 10 ** 100, True, False]:
    print(repr(v)[:12], sys.getsizeof(v))
