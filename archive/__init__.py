"""The headless core: peewee models, the originals store, import, search, tagging, verification (no Qt)."""
