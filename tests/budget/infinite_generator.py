def spin():
    while True:
        yield 1

print(sum(spin()))
