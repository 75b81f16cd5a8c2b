def area(w, h):
    """Return the area of a w-by-h rectangle."""
    return w * h

print(area.__doc__)
print(area.__name__, area(3, 4))
def nodoc():
    x = "not a docstring"
    return x
print(nodoc.__doc__)
