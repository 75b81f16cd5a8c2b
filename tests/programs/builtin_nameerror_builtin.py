print(len([1, 2]))
print(lenn([1, 2]))
