try:
    while True:
        pass
except BaseException:
    print("the budget must not be catchable")
