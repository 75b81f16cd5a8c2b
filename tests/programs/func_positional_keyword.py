def describe(name, age, city):
    return f"{name} ({age}) from {city}"

print(describe("Ana", 30, "Lima"))
print(describe(age=41, city="Oslo", name="Bo"))
print(describe("Cy", city="Rome", age=25))
