try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("hidden cause") from None
except ValueError as e:
    print(e.__cause__, e.__suppress_context__, type(e.__context__).__name__)

def f():
    try:
        {}["k"]
    except KeyError:
        raise LookupError("clean") from None

f()
