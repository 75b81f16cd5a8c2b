import gc

events = []

def cb(phase, info):
    events.append((phase, info["generation"]))

gc.collect()
gc.callbacks.append(cb)
gc.collect()
gc.callbacks.remove(cb)
gc.collect()
print(events)
