class Tracked:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("freed", self.name)

def fail():
    t = Tracked("local of failing frame")
    raise ValueError("boom")

try:
    fail()
except ValueError as e:
    print("caught", e)
print("after except block")
