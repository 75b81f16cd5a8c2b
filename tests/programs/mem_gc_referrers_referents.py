import gc

class Box:
    pass

item = Box()
holder = [item]
other = {"k": item}
refs = gc.get_referrers(item)
print(any(r is holder for r in refs), any(r is other for r in refs))
print(gc.get_referents(holder) == [item])
pair = (holder, other)
print(len(gc.get_referents(pair)), gc.get_referents(pair)[0] is holder)
