class Dog:
    species = "canis"
    count = 0

    def __init__(self, name):
        self.name = name
        Dog.count += 1

a = Dog("rex")
b = Dog("fido")
print(a.species, b.species, Dog.count)
a.species = "wolf"
print(a.species, b.species, Dog.species)
Dog.species = "canis familiaris"
print(a.species, b.species)
del a.species
print(a.species)
print(sorted(a.__dict__.items()))
print(hasattr(a, "name"), hasattr(a, "age"), getattr(a, "age", "unknown"))
