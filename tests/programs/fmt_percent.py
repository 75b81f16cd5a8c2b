print("%s is %d years" % ("Bob", 42))
print("%5.2f|%-5d|%05d" % (3.14159, 7, 42))
print("%r %s" % ("q", "q"))
print("%x %o %e" % (255, 8, 12345.678))
print("100%% sure %s" % "!")
print("%(name)s=%(value)d" % {"name": "n", "value": 3})
print("%s" % [1, 2])
print("%3s|%-3s|" % ("a", "b"))
try:
    print("%d" % "x")
except TypeError as e:
    print("TypeError:", e)
