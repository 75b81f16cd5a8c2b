def nothing():
    pass

class Empty:
    pass

for _ in range(3):
    pass
if True:
    pass
print(nothing(), Empty.__name__, _)
