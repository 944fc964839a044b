"""Messages kept as a code with parameters and written out in the reader's language when shown.

A `Notice` is the English sentence (a `str`, so logs, the command line and old callers read it as before)
that also remembers its `code` and `params`; stored as {"code", "params", "text"} it can be written again
in the interface language. Sentences stored before codes existed stay shown as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from qirtas.i18n.catalog import _, current_language, ngettext
from qirtas.i18n.formatting import format_count

Wrap = Callable[[str], str]
Plural = Callable[[Callable[[str, str, int], str], int], str]


@dataclass(frozen=True)
class Template:
    """The English source of a coded message: a string marked with N_, or for a count-dependent one a
    function `lambda ngettext, n: ngettext("one …", "many …", n)` (so extraction finds both forms, and
    the Arabic catalog its six), whose form the parameter named `count` picks."""

    text: str | Plural
    count: str = "count"


def _english_ngettext(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


class Notice(str):
    """An English sentence with the code and parameters it was made from."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, template: Template, **params: Any) -> Notice:
        notice = super().__new__(cls, render(template, params, language="en"))
        notice.code, notice.params = code, dict(params)
        return notice

    def __reduce__(self):  # crosses process boundaries (the import workers) whole
        return (_restore, (str(self), self.code, self.params))

    def record(self) -> dict[str, Any]:
        """What is stored: the stable code, the parameters, and the English sentence for readers without
        codes (an older Qirtas, a script reading the database)."""
        return {"code": self.code, "params": self.params, "text": str(self)}


def _restore(text: str, code: str, params: dict[str, Any]) -> Notice:
    notice = str.__new__(Notice, text)
    notice.code, notice.params = code, params
    return notice


def _value(value: Any, language: str, wrap: Wrap | None) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return format_count(value, locale=language)
    if isinstance(value, list | tuple):
        return ("، " if language == "ar" else ", ").join(_value(item, language, None) for item in value)
    return wrap(str(value)) if wrap else str(value)


def render(
    template: Template, params: Mapping[str, Any], language: str | None = None, wrap: Wrap | None = None
) -> str:
    """The message in English (`language` "en") or in the interface language (None). Numbers follow the
    language's digits and grouping; text parameters (titles, reasons, names) go through `wrap`, e.g. an
    isolate, so they keep their own direction inside the sentence."""
    language = language or current_language()
    english = language == "en"
    values = {name: _value(value, language, wrap) for name, value in params.items()}
    if isinstance(template.text, str):
        source = template.text if english else _(template.text)
    else:
        source = template.text(_english_ngettext if english else ngettext, int(params.get(template.count, 0)))
    return source.format(**values)


__all__ = ["Notice", "Template", "render"]
