class InsufficientFunds(Exception):
    pass

class Account:
    interest = 0.02
    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance
        self.history = []
    def deposit(self, amount):
        self.balance += amount
        self.history.append(("deposit", amount))
    def withdraw(self, amount):
        if amount > self.balance:
            raise InsufficientFunds(f"{self.owner} has only {self.balance}")
        self.balance -= amount
        self.history.append(("withdraw", amount))
    def __repr__(self):
        return f"Account({self.owner!r}, {self.balance})"

acc = Account("ann", 100)
acc.deposit(50)
try:
    acc.withdraw(500)
except InsufficientFunds as e:
    print("refused:", e)
acc.withdraw(30)
print(acc, acc.history, f"{acc.balance * (1 + Account.interest):.2f}")
