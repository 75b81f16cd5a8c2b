def outer():
    x = "outer"
    def middle():
        def inner():
            nonlocal x
            x = "changed by inner"
        inner()
        return x
    print(middle())
    return x

print(outer())

def counter_pair():
    n = 0
    def up():
        nonlocal n
        n += 1
    def down():
        nonlocal n
        n -= 1
    def value():
        return n
    return up, down, value

up, down, value = counter_pair()
up(); up(); down(); up()
print(value())
