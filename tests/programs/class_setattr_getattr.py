class Box:
    pass

b = Box()
setattr(b, "width", 3)
b.height = 4
print(getattr(b, "width") * getattr(b, "height"))
print(getattr(b, "depth", 0), hasattr(b, "depth"))
for name in ["width", "height", "depth"]:
    print(name, hasattr(b, name))
try:
    getattr(b, "depth")
except AttributeError as e:
    print("AttributeError:", e)
