# Padding to a width of ten billion characters needs 10 GB: under the memory budget each
# way of asking for it fails at once with MemoryError (it used to loop for as long as the
# width before failing), and the program goes on.
makers = [
    lambda: "x".center(10**10),
    lambda: "ab".ljust(10**10),
    lambda: "ab".rjust(10**10),
    lambda: "1".zfill(10**10),
    lambda: "{:>10000000000}".format(1),
    lambda: f"{1.5:10000000000.3f}",
    lambda: format("a", "^10000000000"),
    lambda: format(12345, "010000000000,"),
]
for make in makers:
    try:
        make()
        print("made it")
    except MemoryError:
        print("MemoryError")
print("still running")
