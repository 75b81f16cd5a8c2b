nested = []
for _ in range(100000):
    nested = [nested]
print(len(nested))
nested = None
print("freed a 100000-deep nested list")
d = {}
for _ in range(50000):
    d = {"inner": d}
d = None
print("freed nested dicts")
