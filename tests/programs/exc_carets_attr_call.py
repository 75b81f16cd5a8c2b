class Config:
    settings = None

cfg = Config()
value = cfg.settings.get("debug", False)
