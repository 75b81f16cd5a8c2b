def source():
    for i in range(1, 6):
        print("produce", i)
        yield i

def double(it):
    for x in it:
        print("double", x)
        yield x * 2

pipeline = double(source())
print("nothing has run yet")
print(next(pipeline))
print(list(pipeline))
