import sys
print(sys.getsizeof([]), sys.getsizeof([1]), sys.getsizeof([1, 2, 3]))
L = []
sizes = []
for i in range(20):
    sizes.append(sys.getsizeof(L))
    L.append(i)
print(sizes)
print(sys.getsizeof(()), sys.getsizeof((1,)), sys.getsizeof((1, 2, 3)))
print(sys.getsizeof({}), sys.getsizeof({"a": 1}), sys.getsizeof(dict(a=1, b=2, c=3, d=4, e=5, f=6)))
print(sys.getsizeof(set()), sys.getsizeof({1, 2, 3}), sys.getsizeof(set(range(10))))
print(sys.getsizeof(list(range(10))), sys.getsizeof([0] * 10))
