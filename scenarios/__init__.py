"""Shipped scenarios (YAML). Installed as ``trainer.scenarios``."""
