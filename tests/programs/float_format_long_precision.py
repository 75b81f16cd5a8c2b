# Precisions past 1000 digits are honoured (the exact binary value has at most
# 767 significant digits; the rest are zeros), as in CPython.
x = 1.5
print(len(format(x, ".2000f")), format(x, ".2000f")[-3:])
print(len("%.1500f" % 2.5), len(f"{0.1:.1200e}"))
t = f"{1/3:.1100f}"
print(len(t), t[2:20], t[45:60], t[60:].strip("0") or "then zeros")
print(len(format(1e300, ".1500g")), len(format(0.25, ".1200%")))
for spec in [".3000000000f", ".99999999999999999999f"]:
    try:
        format(x, spec)
    except ValueError as e:
        print("ValueError:", e)
