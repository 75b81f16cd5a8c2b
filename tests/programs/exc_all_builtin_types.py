types = [BaseException, Exception, SystemExit, KeyboardInterrupt, GeneratorExit,
         StopIteration, ArithmeticError, ZeroDivisionError, OverflowError, AssertionError,
         AttributeError, EOFError, ImportError, ModuleNotFoundError, LookupError,
         IndexError, KeyError, MemoryError, NameError, UnboundLocalError, OSError,
         ReferenceError, RuntimeError, NotImplementedError, RecursionError, SyntaxError,
         IndentationError, TabError, TypeError, ValueError, UnicodeError, Warning,
         UserWarning, DeprecationWarning, RuntimeWarning]
for t in types:
    try:
        raise t("message")
    except BaseException as e:
        print(f"{t.__name__:20} {t.__mro__[1].__name__:16} {str(e)!r:12} {repr(e)}")
print(issubclass(UnicodeError, ValueError), issubclass(ModuleNotFoundError, ImportError))
print(issubclass(UserWarning, Warning), issubclass(Warning, Exception))
