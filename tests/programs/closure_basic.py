def make_multiplier(n):
    def multiply(x):
        return x * n
    return multiply

times3 = make_multiplier(3)
times5 = make_multiplier(5)
print(times3(10), times5(10))
print(times3.__closure__ is not None, len(times3.__closure__))
print(times3.__closure__[0].cell_contents)
print(make_multiplier.__closure__)
