name = "Ada"
n = 1234567
pi = 3.14159265
v = [1, "two"]
print(f"{name}")
print(f"{name:>8}|{name:<8}|{name:^8}|")
print(f"{pi:.2f} {pi:.0f} {pi:10.3f} {pi:e} {pi:.3g}")
print(f"{n:,} {n:_} {n:>12,}")
print(f"{v!r} {name!r} {name!s}")
print(f"{42:05d} {42:x} {42:X} {42:o} {42:b} {-42:+d} {42:+d}")
print(f"{0.25:%} {0.25:.1%}")
print(f"{{literal braces}} {n // 1000}k {len(v) * 2}")
print(f"{'nested ' + name}")
