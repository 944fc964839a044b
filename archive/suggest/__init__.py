"""Suggested tags: which events, regions and themes a document's text points to, each with its evidence.

`engine` ranks and records them (accept, reject, restore); `places`, `events` and `themes` find each
facet's candidates; `text` holds the sentence and phrase helpers they share."""

from qirtas.archive.suggest.engine import (
    FACETS,
    DocumentSuggestions,
    Suggester,
    Suggestion,
    ThemeKeywords,
    accept,
    known_for,
    reject,
    rejected_keys,
    reset_theme_keywords,
    restore,
    set_theme_keywords,
    suggest,
    suggest_on_import,
    suggester_for,
    tag_for,
    theme_keywords,
)

__all__ = [
    "FACETS",
    "DocumentSuggestions",
    "Suggester",
    "Suggestion",
    "ThemeKeywords",
    "accept",
    "known_for",
    "reject",
    "rejected_keys",
    "reset_theme_keywords",
    "restore",
    "set_theme_keywords",
    "suggest",
    "suggest_on_import",
    "suggester_for",
    "tag_for",
    "theme_keywords",
]
