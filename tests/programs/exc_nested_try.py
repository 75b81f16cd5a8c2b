def work():
    try:
        try:
            raise ValueError("inner")
        finally:
            print("inner finally")
    except ValueError as e:
        print("outer caught", e)
        try:
            raise TypeError("during handling")
        except TypeError as t:
            print("handled", t, "context:", t.__context__)
    finally:
        print("outer finally")

work()
try:
    try:
        raise KeyError("a")
    except KeyError:
        raise ValueError("b")
except ValueError as e:
    print(repr(e), repr(e.__context__))
