x = 5
else:
    pass
