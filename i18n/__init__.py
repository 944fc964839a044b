"""Catalogs, locale formatting, script/direction and normalisation helpers (no Qt, nothing of ours)."""

from qirtas.i18n.catalog import N_, _, current_language, ngettext, setup_i18n

__all__ = ["N_", "_", "current_language", "ngettext", "setup_i18n"]
