class Pizza:
    made = 0
    def __init__(self, toppings):
        self.toppings = toppings
        Pizza.made += 1

    @classmethod
    def margherita(cls):
        return cls(["tomato", "mozzarella"])

    @staticmethod
    def is_valid(topping):
        return topping != "pineapple"

p = Pizza.margherita()
print(p.toppings, Pizza.made)
print(Pizza.is_valid("ham"), p.is_valid("pineapple"))

class Sub(Pizza):
    pass
s = Sub.margherita()
print(type(s).__name__, Pizza.made)
