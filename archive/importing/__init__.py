"""Importing files and folders into an archive, in batches, with a report of what happened to each.

Worker processes do the per-file work: read, hash, extract, fold the text for the index, and write the
original to a temp file in the store. The importing process (the writer) only renames those into place,
flushes the disk once per batch and inserts the batch's rows in one transaction.

`collect` lists the files an import takes; `reading` reads one file (what runs in the reader processes);
`pipeline` reads ahead of the writer in a pool of them; `writing` is `import_paths`, which writes the
batches; `options` and `report` are what an import is asked and what it answers.
"""

from qirtas.archive.importing.collect import collect_files
from qirtas.archive.importing.options import (
    BATCH_BYTES,
    DEFAULT_BATCH,
    DEFAULT_MAX_BYTES,
    ImportOptions,
    fork_when_alone,
)
from qirtas.archive.importing.reading import (
    EXTRACTED,
    FAILED,
    ISOLATED,
    STORED,
    FileRead,
    ReadSettings,
    extract_in_process,
    read_file,
    read_files,
)
from qirtas.archive.importing.report import DuplicateFile, FailedFile, ImportedFile, ImportReport
from qirtas.archive.importing.writing import import_paths

__all__ = [
    "BATCH_BYTES",
    "DEFAULT_BATCH",
    "DEFAULT_MAX_BYTES",
    "EXTRACTED",
    "FAILED",
    "ISOLATED",
    "STORED",
    "DuplicateFile",
    "FailedFile",
    "FileRead",
    "ImportOptions",
    "ImportReport",
    "ImportedFile",
    "ReadSettings",
    "collect_files",
    "extract_in_process",
    "fork_when_alone",
    "import_paths",
    "read_file",
    "read_files",
]
