try:
    raise KeyboardInterrupt
except Exception:
    print("not caught by Exception")
except BaseException as e:
    print("caught by BaseException", type(e).__name__)
try:
    raise SystemExit(0)
except BaseException as e:
    print("SystemExit", e.code)
