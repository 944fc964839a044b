"""The UI message catalog: English source strings, translated through gettext .mo files built by Babel."""

from __future__ import annotations

import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "qirtas"
SUPPORTED_LANGUAGES = ("en", "ar")

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def setup_i18n(language: str) -> str:
    """Activate the catalog of `language` ("en" or "ar"); returns the language actually active."""
    global _translations, _language
    language = (language or "en").split("_")[0].lower()
    if language not in SUPPORTED_LANGUAGES:
        language = "en"
    _translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
    _language = language
    return _language


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """Translate a user-visible string."""
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (translate with `_` where shown)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a count-dependent string (Arabic has six plural forms)."""
    return _translations.ngettext(singular, plural, n)
