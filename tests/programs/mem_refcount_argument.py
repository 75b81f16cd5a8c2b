import sys

data = [1, 2, 3]

def one_arg(x):
    return sys.getrefcount(x)

def with_local(x):
    y = x
    z = x
    return sys.getrefcount(x)

def nested(x):
    return one_arg(x)

print(sys.getrefcount(data))
print(one_arg(data))
print(with_local(data))
print(nested(data))
print(sys.getrefcount(data))
