def show(**options):
    for key, value in options.items():
        print(key, "=", value)
    return len(options)

print(show(color="red", size=3))
print(show())

def mixed(a, b=2, *args, c, d=4, **kw):
    return a, b, args, c, d, kw

print(mixed(1, c=3))
print(mixed(1, 5, 6, 7, c=8, e=9))
