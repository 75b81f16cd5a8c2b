print(isinstance(1, int), isinstance(True, int), isinstance(1.0, int), isinstance("a", str))
print(isinstance([], (list, tuple)), isinstance(None, type(None)), isinstance(int, type))
print(issubclass(bool, int), issubclass(int, (str, object)), issubclass(list, list))
class A: pass
class B(A): pass
print(isinstance(B(), A), issubclass(A, B), isinstance(A, type), issubclass(B, object))
