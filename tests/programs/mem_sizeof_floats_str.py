import sys
print(sys.getsizeof(1.5), sys.getsizeof(0.0))
for s in ["", "a", "abc", "hello world", "é", "€", "😀", "a" * 100]:
    print(len(s), sys.getsizeof(s))
