i = 0
while i < 3:
    print("loop", i)
    i += 1
else:
    print("else runs when the condition is false", i)
while True:
    i -= 1
    if i == 1:
        break
else:
    print("not printed")
print("after break", i)
