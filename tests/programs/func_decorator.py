def shout(fn):
    def wrapper(*args, **kwargs):
        print("calling", fn.__name__, args, kwargs)
        result = fn(*args, **kwargs)
        print("returned", result)
        return result
    return wrapper

@shout
def add(a, b):
    return a + b

print(add(2, b=3))
print(add.__name__)

def twice(fn):
    return lambda x: fn(fn(x))

@twice
@twice
def inc(x):
    return x + 1

print(inc(0))
