def r(n):
    if n == 0:
        return 1 / n
    return r(n - 1)

r(5)
