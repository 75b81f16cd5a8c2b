x = 1
def read():
    return x
def write():
    global x
    x = 2
def make_new_global():
    global brand_new
    brand_new = "created inside a function"
print(read())
write()
print(read(), x)
make_new_global()
print(brand_new)
