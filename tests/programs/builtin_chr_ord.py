print(ord("a"), ord("A"), ord("0"), ord(" "), ord("\n"), ord("é"), ord("€"))
print(chr(97), chr(65), chr(48), repr(chr(10)), chr(233), chr(8364), chr(0x1F600))
print("".join(chr(ord("a") + i) for i in range(26)))
try:
    ord("ab")
except TypeError as e:
    print("TypeError:", e)
try:
    chr(0x110000)
except ValueError as e:
    print("ValueError:", e)
