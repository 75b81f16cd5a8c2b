import weakref

for value in [1, "s", (1,), [1], {}, None]:
    try:
        weakref.ref(value)
        print(type(value).__name__, "ok")
    except TypeError as e:
        print("TypeError:", e)

def f():
    pass

class C:
    pass

print(weakref.ref(f)() is f, weakref.ref(C)() is C)
