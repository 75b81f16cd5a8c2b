# An __eq__ that compares with itself recurses until the limit.
class Loop:
    def __eq__(self, other):
        return self == other

try:
    Loop() == Loop()
except RecursionError as e:
    print("RecursionError:", e)

class Attr:
    def __getattr__(self, name):
        return self.missing

try:
    Attr().x
except RecursionError as e:
    print("RecursionError:", e)
