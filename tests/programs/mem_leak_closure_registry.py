import gc

handlers = []

class Widget:
    def __init__(self, name):
        self.name = name
        handlers.append(lambda: self.name)
    def __del__(self):
        print("widget freed", self.name)

w = Widget("button")
del w
gc.collect()
print("still alive through the handler's closure:", handlers[0]())
handlers.clear()
print("end")
