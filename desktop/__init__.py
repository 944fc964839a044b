"""The Qirtas desktop application (PySide6): widgets, models and background operations only."""
