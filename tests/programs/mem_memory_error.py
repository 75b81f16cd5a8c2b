print("allocating a huge list")
x = [0] * 10**12
