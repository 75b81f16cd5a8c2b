def forever(n):
    return forever(n + 1)

for attempt in range(3):
    try:
        forever(0)
    except RecursionError:
        print("attempt", attempt, "hit the limit and recovered")

def fine(n):
    return 0 if n == 0 else fine(n - 1)
print(fine(500))
