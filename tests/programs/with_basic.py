class Managed:
    def __init__(self, label):
        self.label = label
    def __enter__(self):
        print("enter", self.label)
        return self.label.upper()
    def __exit__(self, exc_type, exc, tb):
        print("exit", self.label, exc_type)
        return False

with Managed("one") as value:
    print("body got", value)
with Managed("outer"):
    with Managed("inner"):
        print("nested body")
for i in range(2):
    with Managed(f"loop{i}"):
        if i == 1:
            break
        continue
def early():
    with Managed("return"):
        return "returned from inside with"
print(early())
