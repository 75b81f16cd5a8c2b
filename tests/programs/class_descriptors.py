class Positive:
    def __set_name__(self, owner, name):
        self.name = "_" + name
    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return getattr(obj, self.name, 0)
    def __set__(self, obj, value):
        if value <= 0:
            raise ValueError(f"{self.name[1:]} must be positive")
        setattr(obj, self.name, value)
class Item:
    price = Positive()
    qty = Positive()
    def __init__(self, price, qty):
        self.price = price
        self.qty = qty
it = Item(3, 4)
print(it.price * it.qty, sorted(vars(it).items()), type(Item.price).__name__)
try:
    it.qty = -1
except ValueError as e:
    print("ValueError:", e)
class Logged:
    def __setattr__(self, name, value):
        print("set", name, value)
        super().__setattr__(name, value)
    def __delattr__(self, name):
        print("del", name)
        object.__delattr__(self, name)
    def __getattribute__(self, name):
        if name == "magic":
            return 42
        return object.__getattribute__(self, name)
    def __getattr__(self, name):
        return "missing " + name
lg = Logged()
lg.x = 1
print(lg.x, lg.magic, lg.other)
del lg.x
print(lg.x)
class Temp:
    def __init__(self):
        self._c = 0
    @property
    def c(self):
        """Celsius."""
        return self._c
    @c.setter
    def c(self, v):
        self._c = v
    @property
    def f(self):
        return self._c * 9 / 5 + 32
t = Temp()
t.c = 100
print(t.c, t.f, Temp.c.__doc__, type(Temp.c).__name__)
for action in ("set", "del"):
    try:
        if action == "set":
            t.f = 1
        else:
            del t.f
    except AttributeError as e:
        print(e)
class Meta(type):
    def __new__(mcls, name, bases, ns):
        ns["tag"] = name.lower()
        return super().__new__(mcls, name, bases, ns)
class Tagged(metaclass=Meta):
    pass
print(Tagged.tag, type(Tagged).__name__, isinstance(Tagged, type))
class Plugin:
    registry = []
    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        Plugin.registry.append(cls.__name__)
class A(Plugin): pass
class B(Plugin): pass
print(Plugin.registry)
X = type("X", (A,), {"v": 7, "get": lambda self: self.v * 2})
print(X().get(), X.__name__, X.__mro__[1].__name__, Plugin.registry)
