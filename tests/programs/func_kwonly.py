def connect(host, *, port=80, secure):
    return f"{host}:{port} secure={secure}"

print(connect("a", secure=True))
print(connect("b", port=443, secure=False))
try:
    connect("c", 8080, True)
except TypeError as e:
    print("TypeError:", e)
try:
    connect("d")
except TypeError as e:
    print("TypeError:", e)
