"""The demo archive: the seed documents imported and tagged from `seeds/metadata.json`."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from qirtas.archive import schema
from qirtas.archive.archive import DB_NAME, Archive, ArchiveError
from qirtas.archive.bilingual import link
from qirtas.archive.importing import ImportReport, import_paths
from qirtas.archive.models import Tag
from qirtas.archive.regions import ensure_region
from qirtas.i18n import _
from qirtas.seeds import METADATA, SEEDS_DIR


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def is_demo(path: Path) -> bool:
    if not (path / DB_NAME).exists():
        return False
    with Archive.open(path, create=False):
        return schema.get_info("demo") == "1"


def build_demo(path: Path, if_absent: bool = False) -> tuple[Archive, ImportReport | None]:
    """Build the demo archive in `path` (rebuilding an earlier demo there). Returns it open."""
    path = Path(path)
    if (path / DB_NAME).exists():
        if if_absent:
            return Archive.open(path, create=False), None
        if not is_demo(path):
            raise ArchiveError(
                _("{folder} holds an archive that is not the demo; it will not be replaced.").format(
                    folder=path
                )
            )
        shutil.rmtree(path)
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
