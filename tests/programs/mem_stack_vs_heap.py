import sys

def make_list():
    data = [1, 2, 3]
    print("refs while the frame is alive:", sys.getrefcount(data))
    return data

kept = make_list()
print("after the frame is gone:", sys.getrefcount(kept))

def no_return():
    data = [4, 5, 6]
    return len(data)

print(no_return())
x = 10
def f():
    y = x
    return y is x
print(f())
