def total(*numbers):
    print(type(numbers).__name__, numbers)
    return sum(numbers)

print(total())
print(total(1, 2, 3))
print(total(*range(5)))

def head_tail(first, *rest):
    return first, rest

print(head_tail(1), head_tail(1, 2, 3))
