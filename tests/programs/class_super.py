class Base:
    def __init__(self, value):
        print("Base.__init__", value)
        self.value = value
    def show(self):
        return f"Base({self.value})"

class Child(Base):
    def __init__(self, value, extra):
        super().__init__(value)
        print("Child.__init__", extra)
        self.extra = extra
    def show(self):
        return "Child/" + super().show()

c = Child(1, 2)
print(c.show(), c.value, c.extra)

class A:
    def who(self): return ["A"]
class B(A):
    def who(self): return ["B"] + super().who()
class C(A):
    def who(self): return ["C"] + super().who()
class D(B, C):
    def who(self): return ["D"] + super().who()
print(D().who())
