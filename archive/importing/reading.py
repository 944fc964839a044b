"""Reading one file, in a reader process or in the importing process: its bytes read once, hashed,
extracted, folded for the index and written to a temp file in the store (`read_files`, `FileRead`)."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import stat
from pathlib import Path
from typing import NamedTuple

from qirtas.archive.archive import document_title
from qirtas.archive.search import PreparedIndex, index_terms, lexicon_entries, prepare_index
from qirtas.archive.store import OriginalsStore, sha256_bytes
from qirtas.i18n import _, current_language, setup_i18n
from qirtas.i18n.normalize import (
    DEFAULT,
    folded_words,
    forget_folded_pieces,
    index_text_of_pieces,
    stemming_of,
)
from qirtas.i18n.script import text_pieces
from qirtas.importers import SNIFF_BYTES, Extracted, ExtractionError, Importer, extract, importer_for
from qirtas.importers.pool import WorkerContext


def _not_regular(path: Path | str, mode: int) -> ExtractionError:
    if stat.S_ISFIFO(mode):
        kind = _("a FIFO")
    elif stat.S_ISCHR(mode):
        kind = _("a character device")
    elif stat.S_ISBLK(mode):
        kind = _("a block device")
    elif stat.S_ISSOCK(mode):
        kind = _("a socket")
    elif stat.S_ISDIR(mode):
        kind = _("a folder")
    else:
        kind = _("a special file")
    return ExtractionError(
        _("{name} is not a regular file ({kind}); only files are imported.").format(
            name=os.path.basename(path), kind=kind
        )
    )


# O_NONBLOCK: opening a FIFO waits for a writer without it. O_NOCTTY: a terminal device named for import
# must not become this process's terminal. Neither changes how a regular file is read.
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
)


def _read(path: Path | str, max_bytes: int) -> bytes:
    """The file's bytes, read once. Only a regular file is read (checked on the opened descriptor, so it
    is the file read), and at most `max_bytes` + 1 of it: a size can say less than a file holds."""
    # os.open and os.read: a buffered file object cost three times as much for a file of a few kB.
    try:
        handle = os.open(path, _OPEN_FLAGS)
    except OSError:
        # A socket cannot be opened, a device may be refused: say what it is rather than why.
        with contextlib.suppress(OSError):
            mode = os.stat(path).st_mode
            if not stat.S_ISREG(mode):
                raise _not_regular(path, mode) from None
        raise
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            raise _not_regular(path, status.st_mode)
        size = status.st_size
        if size > max_bytes:
            raise ExtractionError(
                _(
                    "The file is too large ({size} MB); the limit is {limit} MB (set QIRTAS_MAX_FILE_MB to change it)."
                ).format(size=f"{size / 2**20:.0f}", limit=f"{max_bytes / 2**20:.0f}")
            )
        data = os.read(handle, size + 1)  # all of it in one call, unless it changed since: then to its end
        if len(data) == size:
            return data
        chunks = [data]
        read = len(data)
        while read <= max_bytes and (chunk := os.read(handle, min(1 << 20, max_bytes + 1 - read))):
            chunks.append(chunk)
            read += len(chunk)
        if read > max_bytes:
            raise ExtractionError(
                _(
                    "The file holds more than the limit of {limit} MB, though its size said less (it grew "
                    "while it was read, or is not an ordinary file); set QIRTAS_MAX_FILE_MB to change the limit."
                ).format(limit=f"{max_bytes / 2**20:.0f}")
            )
        return b"".join(chunks)
    finally:
        os.close(handle)


# ---- reading one file (in a worker process, or here) ------------------------------------------------
FAILED, STORED, ISOLATED, EXTRACTED = "failed", "stored", "isolated", "extracted"


class FileRead(NamedTuple):
    """What reading one file found. Small on purpose (it travels back from a worker): the file's bytes
    stay in the store's temp file `incoming`.

    FAILED: `error` says why. STORED: the store already holds an original with this hash (a duplicate,
    or an original a crash left without its document). ISOLATED: a format read in an isolated worker
    (PDF), extracted when its batch is written. EXTRACTED: `extracted` and `prepared` are ready.
    """

    kind: str
    sha256: str = ""
    size: int = 0
    incoming: str = ""
    extracted: Extracted | None = None
    prepared: PreparedIndex | None = None
    error: str = ""
    lexicon: tuple[tuple[str, str], ...] = ()  # prefix lexicon rows of the words `prepared` leaves out

    def __reduce__(self):
        # Sent as plain tuples: pickling the two dataclasses took a third of a result's pickling, and
        # more of its unpickling in the importing process.
        extracted, prepared = self.extracted, self.prepared
        return _file_read, (
            self.kind,
            self.sha256,
            self.size,
            self.incoming,
            None if extracted is None else tuple(map(vars(extracted).__getitem__, _EXTRACTED_FIELDS)),
            None
            if prepared is None
            else (
                prepared.title,
                prepared.title_terms,
                prepared.body_terms,
                prepared.words,
                prepared.new_terms,
            ),
            self.error,
            self.lexicon,
        )


_EXTRACTED_FIELDS = tuple(field.name for field in dataclasses.fields(Extracted))


def _file_read(kind, sha256, size, incoming, extracted, prepared, error, lexicon) -> FileRead:
    return FileRead(
        kind,
        sha256,
        size,
        incoming,
        None if extracted is None else Extracted(*extracted),
        None if prepared is None else PreparedIndex(*prepared),
        error,
        lexicon,
    )


class ReadSettings(NamedTuple):
    store: str  # the originals folder
    max_bytes: int
    password: str | None
    language: str  # of the person importing: error messages in it
    chunk_bytes: int  # a worker hands its results back once it has read this much


class _Sent(NamedTuple):
    """What a worker process has sent with earlier files of one import. The writer needs each word once
    (for the prefix lexicon) and each index term once (for the term list, `search.SentTerms`), and a
    document's whole vocabulary was most of what a worker sent back. Words come from pieces of text
    (`str.split()`): `pieces` are those the index terms' cache folded anew since the import began
    (`index_text_of_pieces(new=…)`, its caches emptied when the worker began), the only ones that can hold a word not sent yet, so a document
    of known pieces costs nothing more; a document's terms are those of its words."""

    pieces: list[str]
    words: set[str]
    terms: set[str]


class ReaderState:
    """What reading remembers between the files of one import, in one process: the store (it remembers
    its folders) and, in a worker of the import's pool, what the worker has sent already (`_Sent`). Made
    once in each worker by the import's pool (`in_worker`), and once by the import for the files it reads
    itself; it ends with them."""

    def __init__(self, dedupe: bool = False):
        self.stores: dict[str, OriginalsStore] = {}
        # Only a worker leaves out what it sent: the files read here give the writer everything.
        self.sent = None
        if dedupe:
            forget_folded_pieces()  # (a worker forked from a process that folded texts already)
            self.sent = _Sent([], set(), set())

    def store(self, root: str) -> OriginalsStore:
        store = self.stores.get(root)
        if store is None:
            store = self.stores[root] = OriginalsStore(Path(root))
        return store


def in_worker() -> ReaderState:
    """The state of a worker of an import's pool (`ReaderPool(state=in_worker)`)."""
    return ReaderState(dedupe=True)


def read_chunk(context: WorkerContext, paths: list[str], settings: ReadSettings) -> list[FileRead]:
    """The reader pool's task for a chunk of an import's files (see `read_files`)."""
    return read_files(paths, settings, context.state)


def read_files(paths: list[str], settings: ReadSettings, state: ReaderState) -> list[FileRead]:
    """Read the files in order, one `FileRead` each. Stops early (a shorter list) once
    `settings.chunk_bytes` were read, so a worker's results stay small; the caller sends the rest again."""
    if current_language() != settings.language:
        setup_i18n(settings.language)  # messages in the language of the person importing
    store = state.store(settings.store)
    results: list[FileRead] = []
    read = 0
    for path in paths:
        result = read_file(Path(path), settings, store, sent=state.sent)
        results.append(result)
        read += result.size
        if read >= settings.chunk_bytes:
            break
    return results


def read_file(
    path: Path,
    settings: ReadSettings,
    store: OriginalsStore,
    check_store: bool = True,
    sent: _Sent | None = None,
) -> FileRead:
    """Read, hash, extract and index-fold one file, and write its bytes to a temp file in the store.
    `sent`: what this worker sent before in this import, left out of the result."""
    try:
        data = _read(path, settings.max_bytes)
    except ExtractionError as error:
        return FileRead(FAILED, error=str(error))
    except OSError as error:
        return FileRead(
            FAILED, error=_("The file could not be read: {reason}.").format(reason=error.strerror or error)
        )
    sha = sha256_bytes(data)
    if check_store and store.has(sha):
        return FileRead(STORED, sha, len(data))  # not extracted again: the writer asks the database
    try:
        importer = importer_for(path, data[:SNIFF_BYTES])
    except ExtractionError as error:
        return FileRead(FAILED, sha, len(data), error=str(error))
    if importer.isolated:
        return FileRead(ISOLATED, sha, len(data), store.write_incoming(sha, data))
    outcome = extract_in_process(path, data, settings.password, importer)
    if isinstance(outcome, ExtractionError):
        return FileRead(FAILED, sha, len(data), error=str(outcome))
    title = document_title(outcome, path.name)
    lexicon: tuple[tuple[str, str], ...] = ()
    try:
        if sent is None:
            prepared = prepare_index(title, outcome.text, outcome.language)
        else:
            prepared, lexicon = _prepare_index_and_lexicon(title, outcome.text, sent, outcome.language)
    except Exception as error:  # a bug in the normaliser must not end the import
        return FileRead(FAILED, sha, len(data), error=_unexpected(error))
    return FileRead(
        EXTRACTED, sha, len(data), store.write_incoming(sha, data), outcome, prepared, lexicon=lexicon
    )


def _prepare_index_and_lexicon(
    title: str, text: str, sent: _Sent, language: str
) -> tuple[PreparedIndex, tuple[tuple[str, str], ...]]:
    """`prepare_index` without the document's words but with its index terms not sent before in this
    import, and the lexicon rows of its words not sent before (stemmed here, where the stems are cached,
    so the writer only inserts them). The text is stemmed by its `language`, the title by DEFAULT."""
    title_pieces, pieces = title.split(), text_pieces(text)  # split already when its language was counted
    title_terms = index_text_of_pieces(title_pieces, stemming=DEFAULT, new=sent.pieces)
    body_terms = index_text_of_pieces(pieces, stemming=stemming_of(language), new=sent.pieces)
    if not sent.pieces:  # every piece of this document was met before in this import
        return PreparedIndex(title, title_terms, body_terms, frozenset(), frozenset()), ()
    # The words of a text are those of its pieces (see `i18n.normalize`).
    words = set(folded_words(" ".join(sent.pieces))).difference(sent.words)
    sent.pieces.clear()
    sent.words.update(words)
    terms = index_terms(words).difference(sent.terms)
    sent.terms.update(terms)
    prepared = PreparedIndex(title, title_terms, body_terms, frozenset(), frozenset(terms))
    return prepared, tuple(lexicon_entries(words))


def extract_in_process(
    path: Path, data: bytes, password: str | None, importer: Importer | None = None
) -> Extracted | ExtractionError:
    """Extraction of a format that is safe to parse in this process (text); never raises. `importer`:
    the one already picked for the file (else it is picked by sniffing)."""
    try:
        if importer is not None:
            return importer.extract(path, data=data, password=password)
        return extract(path, data=data, password=password)
    except ExtractionError as error:
        return error
    except Exception as error:  # a bug in an importer must not end the batch
        return ExtractionError(_unexpected(error))


def _unexpected(error: Exception) -> str:
    return _("The file could not be read ({kind}: {reason}).").format(kind=type(error).__name__, reason=error)
