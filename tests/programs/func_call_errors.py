def f(a, b):
    return a + b

for call in [lambda: f(1), lambda: f(1, 2, 3), lambda: f(1, b=2, c=3),
             lambda: f(1, 2, a=3), lambda: f(), lambda: (lambda: 0)(1)]:
    try:
        call()
    except TypeError as e:
        print("TypeError:", e)

def g(x, *, y):
    pass

try:
    g(1)
except TypeError as e:
    print("TypeError:", e)
n = 5
try:
    n()
except TypeError as e:
    print("TypeError:", e)
