"""The Arabic catalog is complete for every string in the code, and its plurals and placeholders are right."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata

import pytest
import qirtas.i18n.catalog as catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from qirtas.i18n import _, ngettext, setup_i18n
from qirtas.i18n.formatting import document_count

from tests.conftest import REPO

LOCALES = REPO / "i18n" / "locale"
ARABIC_PO = LOCALES / "ar" / "LC_MESSAGES" / "qirtas.po"
SOURCES = ("archive", "importers", "i18n", "desktop", "cli")


@pytest.fixture(scope="module")
def arabic_catalog():
    with ARABIC_PO.open("rb") as source:
        return read_po(source, locale="ar", domain="qirtas")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The template extracted from the code as it is now (not the committed .pot)."""
    pot = tmp_path_factory.mktemp("pot") / "qirtas.pot"
    command = [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg"]
    command += ["-k", "_", "-k", "N_", "-k", "ngettext:1,2", "--no-location", "-o", str(pot)]
    subprocess.run([*command, *SOURCES], cwd=REPO, check=True, timeout=60)
    with pot.open("rb") as source:
        return read_po(source)


@pytest.fixture
def arabic_ui(tmp_path, arabic_catalog):
    """The UI switched to the Arabic catalog compiled into a temporary folder (as `make catalogs` does)."""
    messages = tmp_path / "ar" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    with (messages / "qirtas.mo").open("wb") as target:
        write_mo(target, arabic_catalog)
    assert setup_i18n("ar", locale_dir=tmp_path) == "ar"
    yield
    setup_i18n("en")


def _key(message):
    return message.id[0] if isinstance(message.id, tuple) else message.id


def test_every_extracted_string_has_an_arabic_translation(template, arabic_catalog):
    problems = []
    for message in template:
        if not message.id:
            continue
        translated = arabic_catalog.get(message.id)
        if translated is None:
            problems.append(f"missing: {_key(message)!r}")
        elif translated.fuzzy:
            problems.append(f"fuzzy: {_key(message)!r}")
        else:
            strings = translated.string if isinstance(translated.string, tuple) else (translated.string,)
            if not all(s.strip() for s in strings):
                problems.append(f"empty: {_key(message)!r}")
    assert not problems, (
        f"{len(problems)} Arabic catalog problems (run `make update-catalogs`):\n" + "\n".join(problems)
    )


def test_the_committed_template_matches_the_code(template):
    with (LOCALES / "qirtas.pot").open("rb") as source:
        committed = {_key(m) for m in read_po(source) if m.id}
    missing = {_key(m) for m in template if m.id} - committed
    assert not missing, f"qirtas.pot is out of date (run `make extract-messages`): {sorted(missing)[:10]}"


def test_arabic_catalog_declares_six_plural_forms(arabic_catalog):
    assert arabic_catalog.num_plurals == 6
    expression = arabic_catalog.plural_expr.replace(" ", "")
    assert "n%100>=3&&n%100<=10?3" in expression


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "لا وثائق"),
        (1, "وثيقة واحدة"),
        (2, "وثيقتان"),
        (3, "3 وثائق"),
        (10, "10 وثائق"),
        (11, "11 وثيقة"),
        (99, "99 وثيقة"),
        (100, "100 وثيقة"),
        (102, "102 وثيقة"),
        (103, "103 وثائق"),  # n % 100 in 3..10 again
        (111, "111 وثيقة"),
        (1000, "1,000 وثيقة"),
    ],
)
def test_arabic_plurals_for_every_form(arabic_ui, count, expected):
    assert document_count(count) == expected


def test_ngettext_picks_each_of_the_six_arabic_forms(arabic_ui, arabic_catalog):
    message = arabic_catalog.get(("%(count)s document", "%(count)s documents"))
    forms = [ngettext("%(count)s document", "%(count)s documents", n) for n in (0, 1, 2, 5, 50, 500)]
    assert forms == list(message.string)
    assert len(set(forms)) >= 4  # Arabic really distinguishes them (3 of 6 coincide for "وثيقة")


def test_english_is_the_source_and_needs_no_catalog():
    setup_i18n("en")
    assert document_count(1) == "1 document"
    assert document_count(0) == "0 documents"
    assert document_count(1234) == "1,234 documents"


def test_unknown_language_falls_back_to_english():
    assert setup_i18n("fr") == "en"
    assert catalog.current_language() == "en"


def test_arabic_ui_without_compiled_catalog_compiles_the_po(tmp_path, arabic_catalog):
    """An install that skipped `make catalogs` still shows Arabic (the .po is compiled in memory)."""
    messages = tmp_path / "ar" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "qirtas.po").write_bytes(ARABIC_PO.read_bytes())
    try:
        setup_i18n("ar_EG", locale_dir=tmp_path)
        assert catalog.current_language() == "ar"
        assert document_count(2) == "وثيقتان"
    finally:
        setup_i18n("en")


_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifrx%]|\{(\w*)[^{}]*\}")


def _placeholders(text: str) -> list[str]:
    """Named placeholders by name (%(count)s, {count}); positional ones by their text (%s, {})."""
    found = []
    for match in _PLACEHOLDER.finditer(text):
        if match.group(0) != "%%":
            found.append(match.group(1) or match.group(2) or match.group(0))
    return found


def test_translations_keep_the_placeholders_of_the_source(arabic_catalog):
    """A translation that loses or renames %(name)s would raise or show the wrong value at run time."""
    problems = []
    for message in arabic_catalog:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, tuple):
            allowed = set(_placeholders(message.id[0])) | set(_placeholders(message.id[1]))
            for form in message.string:
                # Arabic forms for 0, 1 and 2 may spell the count out ("وثيقتان"), so fewer is fine.
                if not set(_placeholders(form)) <= allowed:
                    problems.append((message.id[0], form))
        else:
            source, translated = _placeholders(message.id), _placeholders(message.string)
            named = all(not p.startswith(("%", "{")) for p in source)
            if (sorted(source) if named else source) != (sorted(translated) if named else translated):
                problems.append((message.id, message.string))
    assert not problems


def test_translated_strings_read_in_arabic(arabic_catalog):
    """Each translation is Arabic text, not the English copied across."""
    english_only = [
        m.id
        for m in arabic_catalog
        if m.id
        and not any(
            "\u0600" <= ch <= "\u06ff"
            for ch in "".join(m.string if isinstance(m.string, tuple) else [m.string])
        )
        and re.search(r"\b[a-z]{3,}", _PLACEHOLDER.sub("", _key(m)))  # names such as "JSON Lines" may stay
    ]
    assert not english_only, english_only


def test_switching_back_to_english(arabic_ui, arabic_catalog):
    some_message = next(m for m in arabic_catalog if m.id and isinstance(m.id, str))
    assert _(some_message.id) == some_message.string
    setup_i18n("en")
    assert _(some_message.id) == some_message.id
    assert document_count(2) == "2 documents"


def _singular_pairs(arabic_catalog):
    for message in arabic_catalog:
        if message.id and isinstance(message.id, str) and message.string:
            yield message.id, message.string


def test_menu_accelerators_survive_translation(arabic_catalog):
    """A menu entry with &File keeps exactly one Alt-key marker in Arabic (two would show a literal &)."""
    problems = [
        (source, translated)
        for source, translated in _singular_pairs(arabic_catalog)
        if re.search(r"&\w", source) and len(re.findall(r"&(?=\w)", translated)) != 1
    ]
    assert not problems


def test_ellipsis_and_label_colons_survive_translation(arabic_catalog):
    """ "Open…" (opens a dialog) and "Name:" (a form label) keep their endings in Arabic."""
    problems = [
        (source, translated)
        for source, translated in _singular_pairs(arabic_catalog)
        if (source.endswith("…") and not translated.endswith("…"))
        or (source.endswith(":") and not translated.endswith(":"))
    ]
    assert not problems


# Placeholders that always hold numbers; any other may hold Latin text (a path, an English tag name).
_NUMERIC_PLACEHOLDERS = {"count", "n", "done", "total", "page", "id", "imported", "duplicates", "failed"}
_NUMERIC_PLACEHOLDERS |= {"reviewed", "approved", "revision", "percent", "line"}


def _first_strong_direction(text: str) -> str | None:
    def stand_in(match: re.Match) -> str:
        return "1" if (match.group(1) or match.group(2)) in _NUMERIC_PLACEHOLDERS else "x"

    for char in _PLACEHOLDER.sub(stand_in, text):
        if unicodedata.bidirectional(char) in ("L", "R", "AL"):
            return "rtl" if unicodedata.bidirectional(char) != "L" else "ltr"
    return None


def test_arabic_messages_start_right_to_left(arabic_catalog):
    """A message that starts with a path or an English name would be laid out left-to-right, its Arabic
    words in the wrong order; such translations start with an Arabic word or a right-to-left mark."""
    problems = []
    for message in arabic_catalog:
        if not message.id or ";;" in _key(message):  # file-dialog filters are parsed by Qt, not read
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        arabic = [s for s in strings if re.search("[\u0600-\u06ff]", s)]  # a name alone ("CSV") may stay
        problems += [s for s in arabic if _first_strong_direction(s) == "ltr"]
    assert not problems
