try:
    [1, 2, 3][3]
except IndexError as e:
    print("IndexError:", e)
try:
    "abc"[10]
except IndexError as e:
    print("IndexError:", e)
try:
    (1,)[-2]
except IndexError as e:
    print("IndexError:", e)
try:
    [].pop()
except IndexError as e:
    print("IndexError:", e)
try:
    {"a": 1}["b"]
except KeyError as e:
    print("KeyError:", e, repr(e), e.args)
try:
    {}[(1, 2)]
except KeyError as e:
    print("KeyError:", e)
try:
    {1: 2}.pop(5)
except KeyError as e:
    print("KeyError:", e)
d = {"name": "x"}
d["nmae"]
