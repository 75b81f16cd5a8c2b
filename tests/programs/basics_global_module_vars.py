counter = 0
names = []

def add(name):
    global counter
    counter += 1
    names.append(name)

add("a")
add("b")
print(counter, names)

def rebind():
    global names
    names = ["fresh"]

rebind()
print(names)

def shadow():
    counter = 100
    return counter

print(shadow(), counter)
