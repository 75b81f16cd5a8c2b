class Anon:
    pass

r = repr(Anon())
print(r.startswith("<__main__.Anon object at 0x"), r.endswith(">"))
print(str(Anon()) .startswith("<__main__.Anon object"))
print(repr(Anon), Anon.__name__, Anon.__qualname__, Anon.__module__)
print(type(Anon), type(int), type(type))
