import sys
print(sys.maxsize, sys.maxsize == 2 ** 63 - 1)
print(sys.version_info[0], sys.version_info[1], sys.version_info.major, sys.version_info >= (3, 11))
print(type(sys.argv).__name__, len(sys.argv), sys.argv[0])
print(sys.getrecursionlimit())
sys.stdout.write("via sys.stdout.write\n")
