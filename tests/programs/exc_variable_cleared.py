try:
    raise ValueError("x")
except ValueError as err:
    saved = err
print(saved)
try:
    print(err)
except NameError as e:
    print("NameError:", e)
