class Resource:
    def __init__(self, name):
        self.name = name
        print("open", name)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        print("close", self.name)
        return False
    def __del__(self):
        print("freed", self.name)

with Resource("file") as r:
    print("using", r.name)
print("after with, still bound to r")
del r
print("end")
