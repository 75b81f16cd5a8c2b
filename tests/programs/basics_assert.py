assert True
assert 1 + 1 == 2, "math works"
try:
    assert 1 > 2, "one is not greater than two"
except AssertionError as e:
    print("caught:", e)
try:
    assert []
except AssertionError as e:
    print("caught empty message:", repr(e), e.args)
x = 3
assert x > 5, f"x is {x}"
