print("asking")
line = input("prompt> ")
print("never", line)
