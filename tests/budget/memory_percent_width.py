# A %-format width from the arguments builds its padding in one buffer: past the
# memory budget it is MemoryError at once, not after filling gigabytes.
for w in (2**31, 2**40):
    try:
        s = '%*d' % (w, 1)
        print(w, len(s))
    except MemoryError:
        print(w, 'MemoryError')
print('%0*d' % (8, -42), len('%*s' % (100000, 'x')), '%-*s|' % (4, 'ab'))
