def risky(kind):
    if kind == 1:
        raise KeyError(kind)
    if kind == 2:
        raise IndexError(kind)
    if kind == 3:
        raise ZeroDivisionError(kind)
    return "ok"

for kind in range(4):
    try:
        print(risky(kind))
    except KeyError as e:
        print("KeyError branch", e)
    except LookupError as e:
        print("LookupError branch", e)
    except Exception as e:
        print("Exception branch", type(e).__name__)
