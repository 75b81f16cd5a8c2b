count = 0

def increment():
    count += 1

try:
    increment()
except UnboundLocalError as e:
    print("caught:", e)
print(isinstance(UnboundLocalError(), NameError))

def later():
    print(y)
    y = 1

later()
