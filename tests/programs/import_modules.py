import sys
import gc
import math
import weakref
print(type(sys).__name__, sys.__name__, gc.__name__, math.__name__, weakref.__name__)
import math as m
print(m.sqrt(81), m is math)
from math import floor, ceil
print(floor(2.5), ceil(2.5))
from sys import getrecursionlimit as limit
print(limit())
print(sys.modules["math"] is math)
import sys, gc
print(gc.isenabled())
