def classify(n):
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    elif n < 10:
        return "small"
    else:
        return "large"

for v in [-3, 0, 7, 42]:
    print(v, classify(v))
if []:
    print("empty list is true?")
else:
    print("empty list is false")
if "0":
    print("non-empty str is true")
