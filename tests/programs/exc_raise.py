def check(age):
    if age < 0:
        raise ValueError(f"age must be >= 0, got {age}")
    return age

print(check(5))
try:
    check(-1)
except ValueError as e:
    print("caught:", e, e.args)
try:
    raise KeyError("missing")
except KeyError as e:
    print("KeyError str:", e, "repr:", repr(e))
try:
    raise TypeError
except TypeError as e:
    print("bare class:", repr(e), str(e) == "")
e = RuntimeError("a", 2)
print(e.args, str(e), repr(e))
