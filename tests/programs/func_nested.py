def outer():
    def helper(x):
        return x * 10
    values = [helper(i) for i in range(3)]
    return values, helper.__name__, helper.__qualname__

print(outer())

def a():
    def b():
        def c():
            return "deep"
        return c()
    return b()

print(a())
