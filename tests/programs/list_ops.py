a = [1, 2]
print(a + [3], a * 3, [0] * 0, 2 in a, a == [1, 2], a < [1, 3], a != [1])
print(len([]), len([[]]), [[]] * 2, list("abc"), list(range(3)), list((1, 2)))
print(min([4, 2, 8]), max([4, 2, 8]), sum([1.5, 2.5]))
print(list(reversed([1, 2, 3])), [1, 2, 3][::-1])
