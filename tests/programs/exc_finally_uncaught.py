def cleanup():
    try:
        print("working")
        raise RuntimeError("failure in work")
    finally:
        print("cleanup runs anyway")

cleanup()
