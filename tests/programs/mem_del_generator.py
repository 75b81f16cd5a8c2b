class Tracked:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("freed", self.name)

def gen():
    t = Tracked("held by generator frame")
    yield 1
    yield 2

g = gen()
print(next(g))
print("dropping the suspended generator")
g = None
print("end")
