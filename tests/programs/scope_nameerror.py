def f():
    return undefined_name + 1

try:
    f()
except NameError as e:
    print("caught:", e)

def g():
    local_var = 5

g()
print(local_var)
