class A:
    def __repr__(self):
        return "A(" + input("repr? ") + ")"
print("start")
x = input("first? ")
try:
    print([A()])
finally:
    print("finally")
print(sorted([3, 1, 2], key=lambda v: int(input(f"key {v}? "))))
def gen():
    yield input("gen? ")
print(list(gen()))
print(list(map(input, ["m1? ", "m2? "])))
