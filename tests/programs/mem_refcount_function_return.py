import sys

def build():
    local = [1, 2]
    print("inside", sys.getrefcount(local))
    return local

result = build()
print("after return", sys.getrefcount(result))

def keep(store):
    obj = [0]
    store.append(obj)
    print("in function", sys.getrefcount(obj))

box = []
keep(box)
print("kept by the list", sys.getrefcount(box[0]))
