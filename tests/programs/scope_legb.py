x = "global"
def outer():
    x = "enclosing"
    def inner():
        x = "local"
        print("inner:", x)
    inner()
    print("outer:", x)
outer()
print("module:", x)

def uses_builtin():
    return len("abc")
print(uses_builtin())

def shadow_builtin():
    len = lambda s: -1
    return len("abc")
print(shadow_builtin(), len("abc"))

def enclosing_only():
    y = "from enclosing"
    def inner():
        return y
    return inner()
print(enclosing_only())
