# Very deeply nested containers: repr and comparison raise RecursionError (never a
# crash), and freeing them is fine. (hash() of a deep tuple is left out: CPython 3.11
# recurses on the C stack there and either succeeds or crashes, depending on depth.)
nested = []
for _ in range(100000):
    nested = [nested]
try:
    repr(nested)
except RecursionError as e:
    print("repr:", e)

other = []
for _ in range(100000):
    other = [other]
try:
    print(nested == other)
except RecursionError as e:
    print("compare:", e)

d = {}
for _ in range(100000):
    d = {"k": d}
try:
    str(d)
except RecursionError as e:
    print("str of dict:", e)
nested = other = d = None
print("all freed")
