def attempt(x):
    try:
        print("try", x)
        value = 10 // x
    except ZeroDivisionError as e:
        print("except", e)
    else:
        print("else", value)
    finally:
        print("finally", x)

attempt(2)
attempt(0)

def returns_in_finally():
    try:
        return "from try"
    finally:
        print("finally runs before return")

print(returns_in_finally())

def finally_overrides():
    try:
        return 1
    finally:
        return 2

print(finally_overrides())
