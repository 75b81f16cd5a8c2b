class Inspect:
    def __enter__(self):
        return self
    def __exit__(self, exc_type, exc_value, traceback):
        print(exc_type is ZeroDivisionError, isinstance(exc_value, ZeroDivisionError), traceback is not None)
        return True

with Inspect():
    1 // 0
with Inspect() as i:
    pass
