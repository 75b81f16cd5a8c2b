word = "naïve café"
print(len(word), word.upper(), word[2], word[::-1])
print([ord(c) for c in "aé€😀"])
print(chr(128512), len("😀"), "😀" * 3)
print("Straße".lower(), "straße".upper())
print(sorted("bca"), min("hello"), max("hello"))
