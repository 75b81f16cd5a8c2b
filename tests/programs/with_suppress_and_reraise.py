class Ignore:
    def __init__(self, kind):
        self.kind = kind
    def __enter__(self):
        return self
    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and issubclass(exc_type, self.kind):
            print("ignored", exc_type.__name__, exc)
            return True
        return None

with Ignore(KeyError):
    {}["missing"]
print("continued")
try:
    with Ignore(KeyError):
        [][1]
except IndexError as e:
    print("IndexError passed through:", e)
with Ignore(LookupError):
    [][1]
print("LookupError covers IndexError")
