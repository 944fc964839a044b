"""The demo archive: the seed documents imported and tagged from `seeds/metadata.json`; rebuilt only when
that loses nothing a person added to it."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path

from qirtas.archive import schema
from qirtas.archive.archive import DB_NAME, ORIGINALS, Archive, ArchiveError
from qirtas.archive.bilingual import link
from qirtas.archive.importing import ImportReport, import_paths
from qirtas.archive.models import Document, DocumentLink, DocumentTag, ReviewPair, Tag, tuples
from qirtas.archive.regions import ensure_region
from qirtas.archive.suggest import rejected_keys
from qirtas.archive.suggest.themes import KEYWORDS_INFO
from qirtas.i18n import _
from qirtas.seeds import METADATA, SEEDS_DIR


class DemoHoldsWork(ArchiveError):
    """Rebuilding the demo archive would delete what a person added to it."""


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def is_demo(path: Path) -> bool:
    if not (path / DB_NAME).exists():
        return False
    with Archive.open(path, create=False):
        return schema.get_info("demo") == "1"


def build_demo(
    path: Path, if_absent: bool = False, force: bool = False
) -> tuple[Archive, ImportReport | None]:
    """Build the demo archive in `path`, or rebuild an earlier demo there. Returns it open.

    `make run` opens the demo and the application remembers it, so people import into it. A rebuild
    therefore happens beside it first and replaces it only when the demo holds nothing that did not come
    from the seeds (see `what_a_rebuild_loses`); otherwise DemoHoldsWork says what would be lost and the
    demo stays as it is, unless `force`. Refusing was chosen over rebuilding only the seed documents: a
    rebuild is asked for to get the demo as shipped, and a demo mixing both is not that.
    """
    path = Path(path)
    if not (path / DB_NAME).exists():
        return _build(path)
    if if_absent:
        return Archive.open(path, create=False), None
    _refuse_if_not_demo(path)
    fresh = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.rebuilding-"))
    try:
        archive, report = _build(fresh)
        archive.close()
        if not force and (lost := _difference(path, fresh)):
            raise DemoHoldsWork(lost_sentence(path, lost))
        _replace(path, fresh)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)  # gone already when it replaced the demo
    return Archive.open(path, create=False), report


def what_a_rebuild_loses(path: Path) -> dict[str, int]:
    """What rebuilding the demo archive in `path` would delete, as counts by kind (empty: nothing).

    Raises ArchiveError when `path` holds an archive that is not the demo; a folder with files but no
    archive loses them all ("files").
    """
    path = Path(path)
    if not path.exists():
        return {}
    if not (path / DB_NAME).exists():
        files = sum(1 for _item in path.rglob("*") if not _item.is_dir())
        return {"files": files} if files else {}
    _refuse_if_not_demo(path)
    with tempfile.TemporaryDirectory(prefix="qirtas-demo-") as folder:
        archive, _report = _build(Path(folder) / "demo")
        archive.close()
        return _difference(path, Path(folder) / "demo")


def lost_sentence(path: Path, lost: dict[str, int]) -> str:
    """One sentence saying what a rebuild of the demo in `path` would delete."""
    labels = {
        "documents": _("documents that are not seeds"),
        "edited": _("seed documents edited"),
        "tags": _("tags added or changed"),
        "tagged": _("tags put on seed documents"),
        "links": _("translation links"),
        "reviews": _("paragraph pairs reviewed"),
        "keywords": _("theme keywords edited"),
        "rejections": _("suggestions rejected"),
        "orphans": _("originals without a document"),
        "files": _("other files in the folder"),
    }
    what = "; ".join(f"{labels[kind]}: {count}" for kind, count in lost.items())
    return _(
        "{folder} holds work that did not come from the seeds ({what}), which rebuilding the demo would "
        "delete, so it was left as it is: rebuild with --force to delete it anyway."
    ).format(folder=path, what=what)


def _refuse_if_not_demo(path: Path) -> None:
    if not is_demo(path):
        raise ArchiveError(
            _("{folder} holds an archive that is not the demo; it will not be replaced.").format(folder=path)
        )


def _replace(path: Path, fresh: Path) -> None:
    """Put the demo built in `fresh` in the place of the one in `path` (a rename each way)."""
    aside = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.replaced-"))
    os.replace(path, aside / "demo")
    try:
        os.replace(fresh, path)
    except OSError:
        os.replace(aside / "demo", path)
        raise
    shutil.rmtree(aside)


def _difference(path: Path, fresh: Path) -> dict[str, int]:
    """What the demo in `path` holds beyond the demo just built in `fresh`, as counts by kind."""
    old, new = _contents(path), _contents(fresh)
    seeds = new["documents"]
    lost = {
        "documents": len(old["documents"] - seeds),
        "edited": len({fields[0] for fields in old["fields"] - new["fields"] if fields[0] in seeds}),
        "tags": len(old["tags"] - new["tags"]),
        "tagged": len({pair for pair in old["tagged"] - new["tagged"] if pair[0] in seeds}),
        "links": len(old["links"] - new["links"]),
        "reviews": len({pair for pair in old["reviews"] - new["reviews"] if {pair[0], pair[1]} <= seeds}),
        "keywords": len(old["keywords"] - new["keywords"]),
        "rejections": len(old["rejections"] - new["rejections"]),
        "orphans": len(old["orphans"]),
        "files": len(old["files"]),
    }
    return {kind: count for kind, count in lost.items() if count}


def _contents(path: Path) -> dict[str, set]:
    """The demo archive in `path` as sets of comparable values (by SHA-256 and names, not ids)."""
    with Archive.open(path, create=False) as archive:
        sha: dict[int, str] = dict(tuples(Document.select(Document.id, Document.sha256)))
        rows: dict[int | None, Tag] = {tag.id: tag for tag in Tag.select()}  # None: no tag, no parent

        def tag_key(tag_id: int | None) -> tuple:
            tag = rows.get(tag_id)
            if tag is None:
                return ()
            names = (
                tag.facet,
                tag.name_en,
                tag.name_ar,
                tag.code or "",
                str(tag.date or ""),
                tag.place or "",
            )
            parent = rows.get(tag.parent_id)
            return (*names, (parent.facet, parent.name_en, parent.name_ar) if parent else ())

        keywords = json.loads(schema.get_info(KEYWORDS_INFO) or "{}")
        return {
            "documents": set(sha.values()),
            "fields": {
                (d.sha256, d.title, d.language, str(d.date or ""), d.text)
                for d in Document.select(
                    Document.sha256, Document.title, Document.language, Document.date, Document.text
                )
            },
            "tags": {tag_key(tag_id) for tag_id in rows},
            "tagged": {(sha[row.document_id], tag_key(row.tag_id)) for row in DocumentTag.select()},
            "links": {(sha[row.document_id], sha[row.translation_id]) for row in DocumentLink.select()},
            "reviews": {_pair_key(sha, p) for p in ReviewPair.select()},
            "keywords": {
                (tag_key(int(tag_id)), json.dumps(words, sort_keys=True, ensure_ascii=False))
                for tag_id, words in keywords.items()
            },
            "rejections": {(sha[i], key) for i in sha for key in rejected_keys(archive, i)},
            "orphans": archive.originals.all_hashes() - set(sha.values()),
            "files": {
                item.name
                for item in path.iterdir()
                if item.name not in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", ORIGINALS)
                and not item.name.startswith(".qirtas")  # the archive's own (its lock)
            },
        }


def _build(path: Path) -> tuple[Archive, ImportReport]:
    metadata = json.loads(METADATA.read_text(encoding="utf-8"))
    archive = Archive.open(path)
    schema.set_info("demo", "1")
    files = [SEEDS_DIR / entry["file"] for entry in metadata["documents"]]
    report = import_paths(archive, files)
    ids = {Path(item.path).name: item.id for item in report.imported}
    tags = _vocabulary(archive, metadata)
    for entry in metadata["documents"]:
        document_id = ids[entry["file"]]
        archive.update_document(
            document_id, title=entry["title"], language=entry["language"], date=_date(entry["date"])
        )
        for facet in ("event", "region", "theme"):
            for key in entry[facet]:
                archive.tag_documents([document_id], tags[key])
    for entry in metadata["documents"]:
        if entry.get("translation_of"):
            link(archive, ids[entry["translation_of"]], ids[entry["file"]])
    return archive, report


def _vocabulary(archive: Archive, metadata: dict) -> dict[str, Tag]:
    tags: dict[str, Tag] = {}
    for key, event in metadata["events"].items():
        tags[key] = archive.ensure_tag(
            "event", event["en"], event["ar"], date=_date(event["date"]), place=event["place"]
        )
    for key, theme in metadata["themes"].items():
        tags[key] = archive.ensure_tag("theme", theme["en"], theme["ar"])
    for key, city in metadata["cities"].items():
        tags[key] = archive.ensure_tag(
            "region", city["en"], city["ar"], parent=ensure_region(archive, city["parent"])
        )
    for entry in metadata["documents"]:
        for code in entry["region"]:
            if code not in tags:
                tags[code] = ensure_region(archive, code)
    return tags


def _pair_key(sha: dict[int, str], pair: ReviewPair) -> tuple:
    """A review pair by its documents' hashes, its paragraphs, its status and its comment."""
    paragraphs = (pair.en_first, pair.en_count, pair.ar_first, pair.ar_count)
    return (sha[pair.document_id], sha[pair.translation_id], *paragraphs, pair.status, pair.comment)
