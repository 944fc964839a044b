"""suggest (tag suggestions with evidence; accept/reject), theme-keywords and audit (text integrity)."""

from __future__ import annotations

import argparse

from qirtas.archive import integrity
from qirtas.archive.archive import Archive
from qirtas.archive.suggest import (
    FACETS,
    accept,
    reject,
    reset_theme_keywords,
    restore,
    set_theme_keywords,
    suggester_for,
    theme_keywords,
)
from qirtas.cli.main import EXIT_OK, EXIT_PROBLEMS, CommandError, UsageError, archive_path, document_id, emit
from qirtas.cli.output import escape_field, escape_text
from qirtas.i18n import _


def register(subparsers, common) -> None:
    def add(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        parser = subparsers.add_parser(name, parents=[common], help=help_text, description=help_text)
        parser.set_defaults(handler=handler)
        return parser

    sug = add("suggest", run_suggest, "suggest event, region and theme tags for a document, with evidence")
    sug.add_argument("id", type=document_id)
    sug.add_argument(
        "--accept", action="append", default=[], metavar="KEY",
        help='tag the document with a suggestion: its key ("region:AE") or facet:name ("region:Egypt")',
    )  # fmt: skip
    sug.add_argument(
        "--reject", action="append", default=[], metavar="KEY", help="never suggest it again here"
    )
    sug.add_argument("--restore", action="append", default=[], metavar="KEY", help="undo a rejection")
    sug.add_argument(
        "--accept-all", nargs="?", const="all", choices=[*FACETS, "all"], metavar="FACET",
        help="accept every suggestion (or every one of a facet)",
    )  # fmt: skip

    kw = add("theme-keywords", run_theme_keywords, "show or edit the keywords that suggest each theme")
    kw.add_argument("theme", nargs="?", help="theme name (English or Arabic) or id")
    kw.add_argument(
        "--en",
        action="append",
        metavar="KEYWORD",
        help="English keyword (repeat); replaces the list unless --add",
    )
    kw.add_argument(
        "--ar",
        action="append",
        metavar="KEYWORD",
        help="Arabic keyword (repeat); replaces the list unless --add",
    )
    kw.add_argument(
        "--add", action="store_true", help="add the --en/--ar keywords to the list instead of replacing it"
    )
    kw.add_argument("--reset", action="store_true", help="go back to the default keywords")

    aud = add(
        "audit",
        run_audit,
        "check stored texts for mojibake, stray scripts, U+FFFD, reversed Arabic, invisible characters and low OCR confidence",
    )
    aud.add_argument("ids", nargs="*", type=document_id, metavar="ID", help="only these documents")
    aud.add_argument("--kind", action="append", choices=integrity.KINDS, help="only findings of this kind")
    aud.add_argument(
        "--repaired",
        action="store_true",
        help="also print the repaired reading of each document with findings",
    )


def _open(args) -> Archive:
    return Archive.open(archive_path(args), create=False)


def _describe(facet: str, item: dict) -> str:
    extra = ""
    if facet == "event":
        extra = f" [{escape_field(item['date'] or 'no date')}; {escape_field(item['place'] or 'no place')}]"
    elif facet == "region" and item.get("parent"):
        extra = f" (in {escape_field(item['parent'])})"
    return (
        f"  {escape_field(item['key'])}\n      {escape_field(item['name'])}{extra}\n"
        f"      “{escape_field(item['evidence'])}”"
    )


def run_suggest(args) -> int:
    accepted, rejected = [], []
    with _open(args) as archive:
        suggester = suggester_for(archive)
        current = suggester.suggest(archive.get(args.id))
        wanted = list(args.accept)
        if args.accept_all:
            facets = FACETS if args.accept_all == "all" else (args.accept_all,)
            wanted += [s.key for facet in facets for s in getattr(current, facet)]
        for key in wanted:
            suggestion = current.find(key)
            if suggestion is None:
                raise CommandError(f"Document {args.id} has no suggestion {key!r}.")
            tag = accept(archive, args.id, suggestion)
            accepted.append(
                {"key": suggestion.key, "tag_id": tag.id, "facet": tag.facet, "name": tag.label()}
            )
        for key in args.reject:
            suggestion = current.find(key)
            reject(archive, args.id, suggestion or key)
            rejected.append(suggestion.key if suggestion else key)
        for key in args.restore:
            restore(archive, args.id, key)
        if accepted or rejected or args.restore:
            current = suggester_for(archive).suggest(archive.get(args.id))
    payload = {"id": args.id, **current.to_json(), "accepted": accepted, "rejected": rejected}
    lines = [
        f"accepted {escape_field(a['key'])} → {a['facet']} tag {a['tag_id']} {escape_field(a['name'])}"
        for a in accepted
    ]
    lines += [f"rejected {escape_field(key)}" for key in rejected]
    for facet in FACETS:
        items = payload[facet]
        lines.append(f"{facet}: {len(items)}")
        lines += [_describe(facet, item) for item in items]
    emit(args, payload, "\n".join(lines))
    return EXIT_OK


def _theme(archive: Archive, name: str):
    themes = theme_keywords(archive)
    for theme in themes:
        if (
            name in (str(theme.tag_id), theme.name_en, theme.name_ar)
            or name.casefold() == theme.name_en.casefold()
        ):
            return theme
    raise CommandError(f"There is no theme named {name!r}.")


def run_theme_keywords(args) -> int:
    if args.add and args.en is None and args.ar is None:
        raise UsageError(_("--add needs keywords to add: give them with --en or --ar."))
    if (args.en is not None or args.ar is not None) and not args.theme:
        raise UsageError(
            _("Name the theme whose keywords to change: qirtas theme-keywords THEME --en KEYWORD")
        )
    changes: list[str] = []
    with _open(args) as archive:
        if args.theme and (args.en is not None or args.ar is not None):
            theme = _theme(archive, args.theme)
            english, arabic = (
                _keywords(theme.en, args.en, args.add),
                _keywords(theme.ar, args.ar, args.add),
            )
            set_theme_keywords(archive, theme.tag_id, english, arabic)
            changes = _keyword_changes(theme, args)
        elif args.theme and args.reset:
            reset_theme_keywords(archive, _theme(archive, args.theme).tag_id)
        themes = theme_keywords(archive)
        if args.theme:
            themes = [_theme(archive, args.theme)]
    rows = [
        {
            "id": t.tag_id,
            "en": t.name_en,
            "ar": t.name_ar,
            "keywords_en": t.en,
            "keywords_ar": t.ar,
            "edited": t.edited,
        }
        for t in themes
    ]
    text = "\n".join(
        f"{r['id']:>4}  {escape_field(r['en'] or r['ar'])}{'' if r['edited'] else ' (defaults)'}\n"
        f"      en: {escape_field('; '.join(r['keywords_en']))}\n"
        f"      ar: {escape_field('; '.join(r['keywords_ar']))}"
        for r in rows
    )
    emit(args, {"themes": rows}, "\n".join([*changes, text or _("There are no themes in this archive yet.")]))
    return EXIT_OK


def _keywords(current: list[str], given: list[str] | None, add: bool) -> list[str]:
    """The new list of one language: `given` instead of `current`, or after it with --add (once each)."""
    if given is None:
        return current
    if not add:
        return given
    have = {keyword.casefold() for keyword in current}
    return [*current, *(keyword for keyword in given if keyword.casefold() not in have)]


def _keyword_changes(theme, args) -> list[str]:
    """What was done to the keywords, said plainly: a replacement drops the keywords that were there."""
    name = escape_field(theme.name_en or theme.name_ar)
    said = []
    for given, current, replaced, added in (
        (
            args.en,
            theme.en,
            _(
                "The English keywords of “{theme}” were replaced by these ({count} dropped); --add adds "
                "instead, --reset restores the defaults."
            ),
            _("English keywords added to “{theme}”."),
        ),
        (
            args.ar,
            theme.ar,
            _(
                "The Arabic keywords of “{theme}” were replaced by these ({count} dropped); --add adds "
                "instead, --reset restores the defaults."
            ),
            _("Arabic keywords added to “{theme}”."),
        ),
    ):
        if given is None:
            continue
        kept = {keyword.casefold() for keyword in given}
        dropped = [keyword for keyword in current if keyword.casefold() not in kept]
        said.append(added.format(theme=name) if args.add else replaced.format(theme=name, count=len(dropped)))
    return said


def run_audit(args) -> int:
    with _open(args) as archive:
        report = integrity.audit_archive(archive, ids=args.ids or None, kinds=args.kind)
        repaired = {
            document_id: integrity.repaired_reading(archive.get(document_id).text)
            for document_id in (report if args.repaired else ())
        }
    findings = [finding.to_json(document_id) for document_id, items in report.items() for finding in items]
    payload = {"checked": report.checked, "documents": len(report), "findings": findings}
    lines = [f"checked {report.checked}, documents with findings {len(report)}, findings {len(findings)}"]
    lines += [
        f"{f['id']:>6}  {f['kind']}: {escape_field(f['detail'])}\n        “{escape_field(f['excerpt'])}”"
        for f in findings
    ]
    if args.repaired:
        payload["repaired"] = {str(document_id): text for document_id, text in repaired.items()}
        lines += [
            f"\n--- document {document_id}, repaired reading ---\n{escape_text(text)}"
            for document_id, text in repaired.items()
        ]
    emit(args, payload, "\n".join(lines))
    return EXIT_PROBLEMS if findings else EXIT_OK
