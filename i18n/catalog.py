"""The UI message catalog: English source strings, translated through gettext catalogs built by Babel."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "qirtas"
SUPPORTED_LANGUAGES = ("en", "ar")

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def _load(language: str, locale_dir: Path) -> gettext.NullTranslations:
    """The compiled catalog of `language`; compiled from its .po in memory when the .mo is missing or stale.

    `make catalogs` builds the .mo files; an install that skipped it still gets its translations.
    """
    messages = locale_dir / language / "LC_MESSAGES"
    mo, po = messages / f"{DOMAIN}.mo", messages / f"{DOMAIN}.po"
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as source:
            catalog = read_po(source, locale=language, domain=DOMAIN)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)  # fuzzy entries stay untranslated, as with `pybabel compile`
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    return gettext.translation(DOMAIN, locale_dir, languages=[language], fallback=True)


def setup_i18n(language: str, locale_dir: str | Path | None = None) -> str:
    """Activate the catalog of `language` ("en" or "ar"); returns the language actually active."""
    global _translations, _language
    language = (language or "en").replace("-", "_").split("_")[0].lower()
    if language not in SUPPORTED_LANGUAGES:
        language = "en"
    if language == "en":  # the source language needs no catalog
        _translations = gettext.NullTranslations()
    else:
        _translations = _load(language, Path(locale_dir) if locale_dir else LOCALE_DIR)
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
    """Translate a count-dependent string (Arabic has six plural forms: 0, 1, 2, 3–10, 11–99, 100+)."""
    return _translations.ngettext(singular, plural, n)
