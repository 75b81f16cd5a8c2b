"""Module docstring."""
# a comment
def f():
    """Function docstring.

    With a second paragraph.
    """
    return 1  # trailing comment

class C:
    "Class docstring."
print(f.__doc__)
print(C.__doc__)
print(f())
def g():
    return 2
print(g.__doc__)
print(__doc__)
