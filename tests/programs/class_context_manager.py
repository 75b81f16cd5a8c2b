class Resource:
    def __init__(self, name):
        self.name = name
    def __enter__(self):
        print("enter", self.name)
        return self
    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type.__name__ if exc_type else None, exc)
        return False

with Resource("a") as r:
    print("inside", r.name)

try:
    with Resource("b"):
        raise ValueError("boom")
except ValueError as e:
    print("propagated:", e)

class Suppress:
    def __enter__(self):
        return "value"
    def __exit__(self, *args):
        print("suppressing", args[0].__name__)
        return True

with Suppress() as v:
    print(v)
    1 / 0
print("after suppressed error")

with Resource("x") as x, Resource("y") as y:
    print("two managers")
