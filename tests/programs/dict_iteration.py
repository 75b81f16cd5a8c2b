prices = {"tea": 3, "coffee": 4, "water": 1}
for k in prices:
    print(k, prices[k])
for k, v in prices.items():
    print(f"{k}: {v}")
print(sorted(prices, key=prices.get))
print(max(prices, key=lambda k: prices[k]))
try:
    for k in prices:
        prices["new"] = 0
except RuntimeError as e:
    print("RuntimeError:", e)
