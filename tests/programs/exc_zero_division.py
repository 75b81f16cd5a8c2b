for expr in ["1 / 0", "1 // 0", "1 % 0", "1.0 / 0", "divmod(1, 0)", "0 ** -1"]:
    try:
        eval_result = {"1 / 0": lambda: 1 / 0, "1 // 0": lambda: 1 // 0, "1 % 0": lambda: 1 % 0,
                       "1.0 / 0": lambda: 1.0 / 0, "divmod(1, 0)": lambda: divmod(1, 0),
                       "0 ** -1": lambda: 0 ** -1}[expr]()
    except ZeroDivisionError as e:
        print(expr, "->", e)
