def inner():
    raise ValueError("original")

def middle():
    try:
        inner()
    except ValueError:
        print("logging and re-raising")
        raise

try:
    middle()
except ValueError as e:
    print("outer got:", e)

middle()
