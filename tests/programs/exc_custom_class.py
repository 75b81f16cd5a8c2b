class AppError(Exception):
    """Base of this app's errors."""

class NotFound(AppError):
    def __init__(self, name):
        super().__init__(f"{name} not found")
        self.name = name

try:
    raise NotFound("file.txt")
except AppError as e:
    print(type(e).__name__, e, e.name, e.args)
print(issubclass(NotFound, Exception), isinstance(NotFound("x"), AppError))

class Detailed(Exception):
    def __str__(self):
        return "detailed message"

try:
    raise Detailed(1, 2)
except Detailed as e:
    print(e, e.args)
raise NotFound("config")
