def t(name, v):
    print("eval", name)
    return v

print(t("a", 0) and t("b", 1))
print(t("a", 2) and t("b", 3))
print(t("a", 0) or t("b", ""))
print(t("a", "x") or t("b", 1))
print(not 0, not "", not [1], not None)
print(1 and 2 or 3, 0 and 2 or 3, None or [] or {})
print(True + True, True * 10, False - 1)
