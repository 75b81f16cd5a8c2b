class Obj:
    x = 1
o = Obj()
print(getattr(o, "x"), getattr(o, "y", "default"), hasattr(o, "x"), hasattr(o, "y"))
setattr(o, "y", 5)
print(o.y, getattr(o, "y"), hasattr(o, "y"))
print(getattr("abc", "upper")(), getattr([], "append") is not None)
print(hasattr(len, "__call__"), getattr(Obj, "__name__"))
try:
    getattr(o, "zzz")
except AttributeError as e:
    print("AttributeError:", e)
try:
    setattr(5, "x", 1)
except AttributeError as e:
    print("AttributeError:", e)
