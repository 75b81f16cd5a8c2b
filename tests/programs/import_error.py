try:
    from math import no_such_name
except ImportError as e:
    print("ImportError:", str(e).split(" (")[0])
import no_such_module_for_pyframes
