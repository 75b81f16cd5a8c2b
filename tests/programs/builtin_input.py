name = input("What is your name? ")
print(f"Hello, {name}!")
age = int(input())
print("Next year you will be", age + 1)
try:
    input("more? ")
except EOFError as e:
    print("EOFError:", e)
