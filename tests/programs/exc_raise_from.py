class ConfigError(Exception):
    pass

def load(key):
    try:
        return {"a": 1}[key]
    except KeyError as e:
        raise ConfigError(f"no setting {key!r}") from e

try:
    load("b")
except ConfigError as e:
    print("caught:", e)
    print("cause:", repr(e.__cause__))
    print("suppress context:", e.__suppress_context__)

load("zzz")
