x = 10
y = 0
values = [1, 2]
total = values[0] + x / y + values[1]
