class Tracked:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("freed", self.name)

def outer():
    t = Tracked("captured")
    def inner():
        return t.name
    return inner

f = outer()
print("outer returned; cell keeps it:", f())
del f
print("end")
