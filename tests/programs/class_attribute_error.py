class Thing:
    def __init__(self):
        self.a = 1

t = Thing()
try:
    t.b
except AttributeError as e:
    print("AttributeError:", e)
try:
    Thing.zzz
except AttributeError as e:
    print("AttributeError:", e)
try:
    (5).foo
except AttributeError as e:
    print("AttributeError:", e)
try:
    "s".nope()
except AttributeError as e:
    print("AttributeError:", e)
print(t.missing_attribute)
