def f(x):
    z=x+1
    print(z)
def f1(y):
    k=y+2
    print(k)
a=1
f(a)
f1(a)
print(a)
