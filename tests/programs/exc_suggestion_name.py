def total(values):
    result = 0
    for value in values:
        result += value
    return reslt
print(total([1, 2, 3]))
