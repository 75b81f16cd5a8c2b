class Tracked:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("freed", self.name)

x = Tracked("first")
print("rebinding x")
x = Tracked("second")
print("rebinding x to None")
x = None
print("end")
