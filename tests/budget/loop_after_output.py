print("before the loop")
n = 0
while True:
    n += 1
