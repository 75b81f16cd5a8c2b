def f():
    total = (1 +
             2
    return total
