print(None, True, False)
print(type(None).__name__, type(True).__name__)
print(bool(None), bool(0), bool(0.0), bool(""), bool([]), bool({}), bool(()))
print(bool(1), bool(-1), bool("a"), bool([0]), bool(0.1))
print(True == 1, False == 0, 1 == True)
print(isinstance(True, int), True + 1, str(True), repr(None))
def f():
    pass
print(f() is None)
