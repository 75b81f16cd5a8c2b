class Animal:
    def __init__(self, name):
        self.name = name
    def speak(self):
        return "..."
    def describe(self):
        return f"{self.name} says {self.speak()}"

class Cat(Animal):
    def speak(self):
        return "meow"

class Lion(Cat):
    def speak(self):
        return "ROAR"

for a in [Animal("generic"), Cat("tom"), Lion("leo")]:
    print(a.describe())
print(issubclass(Lion, Animal), issubclass(Animal, Cat), isinstance(Lion("x"), Cat))
print(Lion.__bases__[0].__name__, Lion.__mro__[-1].__name__)
print([k.__name__ for k in Lion.__mro__])
