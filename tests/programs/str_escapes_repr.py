print("tab\there", "new\nline")
print(repr("it's"), repr('say "hi"'), repr("both ' and \""))
print(repr("back\\slash"), repr("\n\t"), repr("\x00\x7f"))
print(len("\n"), len(r"\n"), r"raw\string")
print("\u00e9", len("\u00e9"), "caf\u00e9".upper())
print(repr("é ñ 中文"), len("中文"), ord("中"), chr(20013))
print("""triple
quoted""")
print('single' "adjacent" 'strings')
