def level3(x):
    return x["key"]

def level2(x):
    return level3(x) + 1

def level1():
    data = {"other": 1}
    return level2(data)

print("before")
level1()
print("never")
