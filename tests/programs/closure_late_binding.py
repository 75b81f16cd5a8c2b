funcs = []
for i in range(3):
    funcs.append(lambda: i)
print([f() for f in funcs])

funcs = []
for i in range(3):
    funcs.append(lambda i=i: i)
print([f() for f in funcs])

def make():
    fs = []
    for j in range(3):
        def f():
            return j
        fs.append(f)
    return fs
print([f() for f in make()])
