def outer():
    v = 1
    def inner():
        nonlocal v
        v = v + 1
        return v
    return inner

g = outer()
print(g(), g())

def free_var_unbound():
    def inner():
        return z
    try:
        inner()
    except NameError as e:
        print("NameError:", e)
    z = 3
    return inner()

print(free_var_unbound())
