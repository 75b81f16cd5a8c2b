class Tracker:
    def __enter__(self):
        print("enter")
        return self
    def __exit__(self, exc_type, exc_value, tb):
        print("exit with", exc_type.__name__, exc_value)

with Tracker():
    print("in block")
    raise KeyError("inside with")
