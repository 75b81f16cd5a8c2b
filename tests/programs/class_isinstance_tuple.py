class A: pass
class B(A): pass
class C: pass

for obj in [A(), B(), C(), 1, "s"]:
    print(type(obj).__name__, isinstance(obj, A), isinstance(obj, (B, C)), isinstance(obj, (int, str)))
print(issubclass(B, (C, A)), issubclass(bool, int), issubclass(int, object))
try:
    isinstance(1, 2)
except TypeError as e:
    print("TypeError:", e)
