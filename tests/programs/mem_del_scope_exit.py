class Tracked:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("freed", self.name)

def work():
    local = Tracked("local")
    keep = Tracked("returned")
    print("leaving work")
    return keep

r = work()
print("back in module, r is", r.name)
del r
print("end")
