"""Which files an import takes: the files named, and those inside the folders named (`collect_files`)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from qirtas.archive.importing.report import FailedFile
from qirtas.i18n import _


def collect_files(
    paths: Iterable[str | os.PathLike], skip: Path | None = None, follow_symlinks: bool = False
) -> tuple[list[Path], list[FailedFile]]:
    """Files named and files inside folders (recursively, sorted, hidden files skipped), leaving out
    the folder `skip` (resolved) and everything in it. What else is left out is a `FailedFile` saying
    why: a folder that cannot be listed, and a link that leads out of the imported folder (unless
    `follow_symlinks`: then it is followed, once per folder it reaches). A link to a file inside the
    folder is taken after the folder's files (it ends as a duplicate of its target, imported first); a
    link to a folder inside it is not entered: its files are taken where they are, and a link to a parent
    would never end.
    Anything else that is not a folder (a FIFO, a device) is left to the reader, which refuses it."""
    files: list[Path] = []
    failed: list[FailedFile] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            root = path.resolve()
            if skip is not None and (root == skip or skip in root.parents):
                continue
            _walk(path, root, skip, follow_symlinks, files, failed)
        elif path.exists():  # named by the user: a link is followed
            if skip is None or skip not in path.resolve().parents:
                files.append(path)
        else:
            failed.append(FailedFile(str(path), _("No such file or folder.")))
    return files, failed


def _walk(
    top: Path,
    root: Path,
    skip: Path | None,
    follow_symlinks: bool,
    files: list[Path],
    failed: list[FailedFile],
) -> None:
    """`collect_files` in one folder: depth first, in name order, as os.walk would go (which passes over a
    folder it cannot list without a word)."""
    folders = [(str(top), root)]  # each as the user names it, and where it really is
    entered = {root}  # with links followed: the real folders walked, so that none is walked twice
    links: list[Path] = []  # to files inside the folder: after them
    while folders:
        folder, real = folders.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted((entry for entry in scan if not entry.name.startswith(".")), key=_name)
        except OSError as error:
            failed.append(FailedFile(folder, _folder_unreadable(error)))
            continue
        names: list[str] = []
        subfolders: list[tuple[str, Path]] = []
        for entry in entries:
            try:
                if entry.is_symlink():
                    _take_link(entry, root, skip, follow_symlinks, entered, names, links, subfolders, failed)
                elif entry.is_dir(follow_symlinks=False):
                    inner = real / entry.name
                    if inner != skip:
                        subfolders.append((entry.path, inner))
                else:
                    names.append(entry.name)
            except OSError:  # it could not be looked at: the reader says why
                names.append(entry.name)
        base = Path(folder)  # once per folder: building paths is most of listing a big folder
        files += [base / name for name in names]
        if follow_symlinks:
            entered.update(inner for _path, inner in subfolders)
        folders += reversed(subfolders)
    files += links


def _name(entry: os.DirEntry) -> str:
    return entry.name


def _take_link(
    entry: os.DirEntry,
    root: Path,
    skip: Path | None,
    follow_symlinks: bool,
    entered: set[Path],
    names: list[str],
    links: list[Path],
    subfolders: list[tuple[str, Path]],
    failed: list[FailedFile],
) -> None:
    target = Path(os.path.realpath(entry.path))
    inside = target == root or root in target.parents
    if not inside and not follow_symlinks:
        failed.append(
            FailedFile(
                entry.path,
                _(
                    "Skipped: {name} is a link to {target}, outside the imported folder; links out of it are "
                    "not followed (import with --follow-symlinks to follow them)."
                ).format(name=entry.name, target=target),
            )
        )
    elif not target.is_dir():  # a file (or what the reader will refuse, or a broken link it reports)
        if inside:
            links.append(Path(entry.path))
        else:
            names.append(entry.name)
    elif (
        not inside
        and target not in entered
        and not (skip is not None and (target == skip or skip in target.parents))
    ):
        entered.add(target)
        subfolders.append((entry.path, target))


def _folder_unreadable(error: OSError) -> str:
    return _("The folder could not be read, so its files were not imported: {reason}.").format(
        reason=error.strerror or error
    )
