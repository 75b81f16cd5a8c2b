try:
    big = [None] * (10 ** 12)
except MemoryError as e:
    print("MemoryError caught", type(e).__name__)
print("still running")
small = [None] * 10
print(len(small))
