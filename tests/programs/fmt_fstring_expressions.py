items = {"apple": 0.5, "banana": 0.25, "cherry": 3}
for item, price in items.items():
    print(f"{item:<10}{price:>8.2f}")
width = 6
print(f"{'x':>{width}}|")
print(f"{3 + 4 = }")
x = 10
print(f"{x=}, {x * 2=}")
print(f"{'yes' if x > 5 else 'no'}")
print(f"{[i * i for i in range(4)]}")
print(f"{x:{'>'}{width}}")
