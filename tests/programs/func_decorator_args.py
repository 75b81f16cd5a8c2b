def repeat(times):
    def decorate(fn):
        def wrapper(*args):
            return [fn(*args) for _ in range(times)]
        return wrapper
    return decorate

@repeat(3)
def hello(name):
    return "hi " + name

print(hello("bob"))

registry = []
def register(fn):
    registry.append(fn.__name__)
    return fn

@register
def a(): pass
@register
def b(): pass
print(registry, a is not None)
