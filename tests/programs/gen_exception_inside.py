def risky():
    yield 1
    raise ValueError("inside generator")

for v in risky():
    print(v)
