x = 250
results = []
for step in range(10):
    y = x + step
    results.append(y is int(str(y)))
print(results)
print([n is int(str(n)) for n in (-7, -6, -5, 0, 255, 256, 257)])
