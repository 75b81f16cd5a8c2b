try:
    print(max(x * 2 for x in map(abs, range(10**12))))
except BaseException:
    print("the budget must not be catchable")
try:
    print(len(list(zip(range(10**12), range(10**12)))))
except BaseException:
    print("the budget must not be catchable")
