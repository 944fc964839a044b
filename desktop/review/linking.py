"""The linking page, shown for a document with no linked translation: the documents that may be its
translation, or any document a search finds (an id, a title, words), one of which the person links."""

from __future__ import annotations

from qirtas.archive.archive import Archive, DocumentFilter
from qirtas.archive.translation_candidates import Candidate, candidates
from qirtas.desktop.accessible import name_view
from qirtas.desktop.labels import isolated, ui_direction
from qirtas.desktop.qt import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from qirtas.i18n import _
from qirtas.i18n.formatting import format_date, format_number
from qirtas.i18n.script import Direction, paragraph_direction


class LinkPage(QWidget):
    """Lists the documents that could be linked to one document; reads the archive, never writes it."""

    link_requested = Signal()  # the link button, or Enter or a double click on a listed document

    def __init__(self, archive: Archive, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self.document_id: int | None = None
        self.link_intro = QLabel()
        self.link_intro.setWordWrap(True)
        self.link_search = QLineEdit()
        self.link_search.setAccessibleName(_("Find a document to link"))
        self.link_search.setPlaceholderText(_("Find any document by title, id or words (Enter)"))
        self.link_search.setClearButtonEnabled(True)
        self.link_search.returnPressed.connect(lambda: self.find_documents(self.link_search.text()))
        self.candidate_list = QListWidget()
        name_view(self.candidate_list, _("Possible translations"))
        self.candidate_list.itemActivated.connect(lambda _item: self.link_requested.emit())
        self.link_button = QPushButton(_("Link as translation"))
        self.link_button.clicked.connect(lambda: self.link_requested.emit())
        layout = QVBoxLayout(self)
        layout.addWidget(self.link_intro)
        layout.addWidget(self.link_search)
        layout.addWidget(self.candidate_list, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.link_button)
        layout.addLayout(row)

    def show_candidates(self, document_id: int) -> None:
        """List the documents the finder proposes as `document_id`'s translation, and say so."""
        self.document_id = document_id
        document = self.archive.get(document_id)
        found: list[Candidate] = candidates(self.archive, document_id)
        self._list_documents([(c.id, c) for c in found])
        if found:
            intro = _("“{title}” has no linked translation yet. These documents may be its translation:")
        else:
            intro = _("“{title}” has no linked translation, and no document in the archive looks like one.")
        self.link_intro.setText(intro.format(title=isolated(document.title)))
        self.link_search.clear()

    def find_documents(self, query: str) -> None:
        """List the documents a search finds (an id, a title, words), any of them can be linked; an empty
        query lists the finder's candidates again."""
        document_id = self.document_id
        if document_id is None:
            return
        query = query.strip()
        if not query:
            self._list_documents([(c.id, c) for c in candidates(self.archive, document_id)])
            return
        ids: list[int] = []
        number = query.lstrip("#")
        if number.isdigit() and self.archive.document_ids(DocumentFilter(ids=[int(number)])):
            ids.append(int(number))
        ids += [i for i in self.archive.search_ids(query)[:50] if i not in ids]
        scores = {c.id: c for c in candidates(self.archive, document_id)}
        self._list_documents([(i, scores.get(i)) for i in ids if i != document_id])

    def chosen_document(self) -> int | None:
        """The id of the listed document the person chose, if any."""
        item = self.candidate_list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _list_documents(self, rows: list[tuple[int, Candidate | None]]) -> None:
        """One item per document: its title, then id, date, language, file name and the evidence score."""
        self.candidate_list.clear()
        for document_id, candidate in rows:
            document = self.archive.get(document_id)
            details = [
                f"#{document.id}",
                format_date(document.date, format="medium") if document.date else "—",
                document.language,
                document.source_name or "—",
            ]
            if candidate is not None:
                details.append(_("score {score}").format(score=format_number(round(candidate.score, 1))))
            # Isolated in the UI's direction: after an Arabic title, "#6" would otherwise read "6#".
            isolate = "\u2067" if ui_direction() == Direction.RTL else "\u2066"
            item = QListWidgetItem(f"{document.title}\n{isolate}{' · '.join(details)}\u2069")
            item.setData(Qt.ItemDataRole.UserRole, document.id)
            if candidate is not None:
                item.setToolTip(self._evidence_text(candidate))
            rtl = paragraph_direction(document.title) == Direction.RTL
            item.setTextAlignment(
                (Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
                | Qt.AlignmentFlag.AlignAbsolute
            )
            self.candidate_list.addItem(item)
        if rows:
            self.candidate_list.setCurrentRow(0)
        self.link_button.setEnabled(bool(rows))

    @staticmethod
    def _evidence_text(candidate: Candidate) -> str:
        names = {
            "document_date": _("same date"),
            "date": _("dates"),
            "number": _("numbers"),
            "name": _("names"),
            "latin": _("words kept in Latin script"),
            "tag": _("tags"),
        }
        return "\n".join(
            f"{names.get(kind, kind)}: {', '.join(values)}" for kind, values in candidate.evidence.items()
        )
