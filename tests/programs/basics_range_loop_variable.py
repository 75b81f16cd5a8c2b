# A range loop's variable: whatever the body keeps of it keeps its own value, and the
# cached small ints stay the cached objects.
def collect():
    kept = []
    for i in range(1000, 1005):
        kept.append(i)
    return kept

print(collect())


def last_of(n):
    for i in range(300, 300 + n):
        pass
    return i

print(last_of(5))


def descend():
    small = 250
    hits = []
    for i in range(260, 245, -1):
        if i == small:
            hits.append(i is small)
    return hits

print(descend())


def deleting():
    seen = 0
    for m in range(400, 405):
        seen += m
        del m
    return seen

print(deleting())


def nested():
    pairs = []
    for a in range(500, 502):
        for b in range(600, 602):
            pairs.append((a, b))
    return pairs

print(nested())

total = 0
for k in range(500, 505):
    total += k
print(total, k)

squares = {}
for k in range(1000, 1003):
    squares[k] = k * k
print(squares)

makers = []
for j in range(700, 703):
    makers.append(lambda j=j: j)
print([f() for f in makers])

class Box:
    pass

box = Box()
for n in range(2 ** 40, 2 ** 40 + 3):
    box.last = n
print(box.last, n, box.last is n)
for n in range(2 ** 62, 2 ** 62 + 3):
    pass
print(n)
