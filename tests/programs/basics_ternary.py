for n in range(4):
    print(n, "even" if n % 2 == 0 else "odd")
x = 5
y = "big" if x > 10 else "medium" if x > 3 else "small"
print(y)
print((lambda v: v if v else "falsy")(0))
