# Each addition of two million-digit ints writes about 100,000 32-bit digits: the
# loop's steps are charged for that work too, so it stops as soon as a cheap loop would.
x = 10 ** 1000000
while True:
    y = x + x
