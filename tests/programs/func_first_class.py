def double(x):
    return x * 2

def triple(x):
    return x * 3

ops = [double, triple]
table = {"d": double, "t": triple}
print([f(5) for f in ops])
print(table["t"](2))

def apply(fn, value):
    return fn(value)

print(apply(double, "ab"))
def chooser(big):
    return triple if big else double
print(chooser(True)(4), chooser(False)(4))
print(type(double).__name__, apply(len, table))
