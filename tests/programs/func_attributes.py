def f(a, b=1, *args, c=2, **kw):
    "doc"
    x = a
    return x

print(f.__name__, f.__qualname__, f.__doc__)
print(f.__defaults__, f.__kwdefaults__)
print(f.__code__.co_argcount, f.__code__.co_kwonlyargcount, f.__code__.co_name)
print(f.__code__.co_varnames)
f.custom = "attribute"
print(f.custom)
