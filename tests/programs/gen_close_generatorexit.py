def worker():
    try:
        while True:
            value = yield
            print("got", value)
    except GeneratorExit:
        print("GeneratorExit: cleaning up")
        raise
    finally:
        print("finally in generator")

w = worker()
next(w)
w.send("a")
w.send("b")
w.close()
print("closed")
w.close()
print("closing twice is fine")
try:
    w.send("c")
except StopIteration:
    print("send after close: StopIteration")
