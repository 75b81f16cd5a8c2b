def f(x):
    z=x+b
    print(z)
a=1
b=5
f(a)
b=10
f(a)
