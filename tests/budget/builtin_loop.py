# sum() loops in C, not in bytecode: each item it pulls is a step of the budget too.
print("before")
print(sum(range(10**12)))
print("never printed")
