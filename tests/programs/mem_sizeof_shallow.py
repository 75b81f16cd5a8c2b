import sys
small = [1, 2, 3]
big_items = [[0] * 1000, [0] * 1000, [0] * 1000]
print(sys.getsizeof(small) == sys.getsizeof(big_items))
total = sys.getsizeof(big_items) + sum(sys.getsizeof(x) for x in big_items)
print(total)
