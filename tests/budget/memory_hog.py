hoard = []
while True:
    hoard.append([0] * 100000)
