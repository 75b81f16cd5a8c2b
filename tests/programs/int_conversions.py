print(int("42"), int("-17"), int("  8  "), int("1_000"), int("+5"))
print(int("ff", 16), int("0xff", 16), int("777", 8), int("101", 2), int("z", 36))
print(int(3.99), int(-3.99), int(True), int("0"))
print(int("123456789012345678901234567890"))
print(str(10 ** 25), repr(-5), int(1e20))
for bad in ["4.5", "abc", "", "1 2"]:
    try:
        int(bad)
    except ValueError as e:
        print("ValueError:", e)
