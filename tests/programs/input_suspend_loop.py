# input() called from nested Python frames, in loops and handlers: the web engine
# suspends at each call and resumes with the typed line.
class Account:
    def __init__(self, owner):
        self.owner = owner
        self.history = []

    def ask_amount(self, verb):
        text = input(f"{self.owner}, how much to {verb}? ")
        try:
            return int(text)
        except ValueError as e:
            print("not a number:", e)
            return self.ask_amount(verb)


def make_counter():
    count = 0

    def bump():
        nonlocal count
        count += 1
        return count

    return bump


acct = Account(input("Owner: "))
bump = make_counter()
while True:
    cmd = input("command> ").strip()
    n = bump()
    if cmd == "quit":
        break
    if cmd in ("deposit", "withdraw"):
        acct.history.append((cmd, acct.ask_amount(cmd)))
    else:
        print("unknown command", repr(cmd), "#", n)
print(acct.owner, acct.history)
with open.__class__ if False else type("Ctx", (), {"__enter__": lambda s: s, "__exit__": lambda s, *a: False})() as c:
    print("in with:", input(42))
try:
    raise KeyError("k")
except KeyError:
    line = input()
    print("handled with", line, [len(line)] * 2)
print(input("last? ") + "!", end="")
print()
