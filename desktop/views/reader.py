"""The reader: a document's text with each line in its own direction, its metadata, tags and original."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from qirtas.archive.archive import Archive, DocumentNotFound
from qirtas.archive.models import FACETS, Document
from qirtas.desktop.labels import (
    document_language_name,
    facet_title,
    in_own_direction,
    isolated,
    isolated_code,
    joined,
    long_date_text,
    status_name,
    tag_label,
    warning_lines,
)
from qirtas.desktop.qt import (
    QDesktopServices,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPdfDocument,
    QPdfView,
    QPointF,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    Qt,
    QTextBrowser,
    QTextCursor,
    QUrl,
    QVBoxLayout,
    QWidget,
    Signal,
)
from qirtas.desktop.views.integrity import IntegrityBar
from qirtas.desktop.views.original_page import PageImage
from qirtas.desktop.views.text_layout import TextLayout, low_spans, ocr_reading
from qirtas.i18n import _, ngettext
from qirtas.i18n.formatting import format_count, format_file_size, format_percent
from qirtas.i18n.script import Direction, paragraph_direction

PDF_MEDIA_TYPE = "application/pdf"


HEADER_SHARE = 0.38  # of the reader's height, at most, for the title and details above the text


def _label(word_wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setWordWrap(word_wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _align_to(label: QLabel, text: str) -> None:
    """Put a label's text on its own reading side, whatever the UI direction."""
    rtl = paragraph_direction(text, Direction.LTR) == Direction.RTL
    side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
    label.setAlignment(side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignTop)
    label.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)


class Reader(QWidget):
    """Shows one document; `open_url` is replaceable so tests do not launch other programs."""

    message = Signal(str)  # a sentence for the status bar
    shown = Signal(int)  # the document now shown (0: none), for the panels that follow it

    def __init__(self, archive: Archive, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self.document: Document | None = None
        self.query = ""
        self.page_positions: list[int] = []
        self.highlights: list[tuple[int, int]] = []
        self.open_url = QDesktopServices.openUrl
        self._layout = TextLayout()
        self._pdf: QPdfDocument | None = None
        self._temp_dir: Path | None = None

        self.title = _label()
        title_font = self.title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.details = _label()
        self.tags = _label()
        self.warnings = _label()
        self.warnings.setStyleSheet("color: #a15c00;")
        self.ocr_line = _label()  # "Text read by OCR …", for a document whose text OCR gave
        self.ocr_line.setStyleSheet("color: #5a4a2f;")
        self.integrity = IntegrityBar(self)  # badges of the text-integrity audit (desktop/views/integrity.py)

        self.open_button = QPushButton(_("Open original"))
        self.open_button.setToolTip(_("Open a read-only copy of the imported file in its usual program"))
        self.open_button.clicked.connect(self.open_original)
        self.folder_button = QPushButton(_("Show in folder"))
        self.folder_button.setToolTip(_("Show the stored original in the archive's folder"))
        self.folder_button.clicked.connect(self.show_in_folder)
        self.page_button = QPushButton(_("Original page"))
        self.page_button.setCheckable(True)
        self.page_button.setToolTip(
            _("Show the original page (the PDF or the scanned image) beside the text, to check what was read")
        )
        self.page_button.toggled.connect(self._load_page_view)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.folder_button, self.page_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.button_row = buttons
        self.extra_buttons: dict[str, QPushButton] = {}  # a feature's buttons (add_button)

        self.browser = QTextBrowser()
        self.browser.setAccessibleName(_("Document text"))
        self.browser.setOpenLinks(False)
        # Lines wrap to the width; Amiri's overhanging marks must not bring up a horizontal scroll bar.
        self.browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.browser.document().setDocumentMargin(14)
        self.browser.verticalScrollBar().valueChanged.connect(self._follow_page)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.browser)
        self.pdf_view: QPdfView | None = None
        if QPdfView is not None:
            self.pdf_view = QPdfView()
            self.pdf_view.setAccessibleName(_("Original page"))
            self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.pdf_view.hide()
            self.splitter.addWidget(self.pdf_view)
        self.image_view = PageImage()  # an image file's page (a TIFF may hold several)
        self.image_view.hide()
        self.splitter.addWidget(self.image_view)

        self.placeholder = QLabel(_("Select a document to read it here."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: #777;")

        # Title, details, tags and findings scroll on their own when they would take more than
        # HEADER_SHARE of the reader's height: on a 768-pixel screen a two-line Arabic title and five
        # lines of details left the text itself two lines.
        header = QWidget()
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.title, self.details, self.tags, self.warnings, self.integrity):
            header_layout.addWidget(widget)
        self.header = QScrollArea()
        self.header.setWidget(header)
        self.header.setWidgetResizable(True)
        self.header.setFrameShape(QFrame.Shape.NoFrame)
        self.header.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.header.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.header.setAccessibleName(_("Document details"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addLayout(buttons)
        layout.addWidget(self.ocr_line)  # right above the text it speaks of, outside the scrolling header
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.placeholder, 1)
        self.clear()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_header()

    def _fit_header(self) -> None:
        """As tall as the title and details need, at most HEADER_SHARE of the reader (then it scrolls)."""
        content = self.header.widget()
        layout = content.layout()
        width = self.header.viewport().width() or self.width()
        needed = (
            layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else content.sizeHint().height()
        )
        self.header.setFixedHeight(max(0, min(needed, max(60, int(self.height() * HEADER_SHARE)))))

    # ---- showing ------------------------------------------------------------------------------------
    def add_button(self, name: str, button: QPushButton) -> None:
        """Put a feature's button in the row, after the reader's own three (the main window calls this)."""
        self.button_row.insertWidget(3 + len(self.extra_buttons), button)
        self.extra_buttons[name] = button

    @property
    def unlock_button(self) -> QPushButton | None:
        """The unlocking feature's "Unlock with password…" (desktop/jobs/unlocking.py), when the window has it."""
        return self.extra_buttons.get("unlock")

    def clear(self) -> None:
        self.document = None
        self.page_positions, self.highlights = [], []
        for label in (self.title, self.details, self.tags, self.warnings, self.ocr_line):
            label.clear()
            label.hide()
        for button in (self.open_button, self.folder_button, self.page_button):
            button.hide()
        self.splitter.hide()
        self.placeholder.show()
        self.browser.clear()
        self.integrity.clear()
        self.shown.emit(0)

    def show_document(self, document_id: int, query: str = "") -> None:
        try:
            document = self.archive.get(document_id)
        except DocumentNotFound:
            self.clear()
            return
        self.document, self.query = document, query
        self.placeholder.hide()
        self.splitter.show()
        self._show_header(document)
        ocr = ocr_reading(document)
        self.page_positions, self.highlights = self._layout.fill(
            self.archive,
            self.browser.document(),
            document.text,
            document.page_starts or [],
            query,
            low_spans(ocr),
            document.language,
        )
        self._show_ocr_line(ocr)
        for button in (self.open_button, self.folder_button):
            button.show()
        self.page_button.setVisible(self._has_page_view(document))
        if self.highlights:
            cursor = QTextCursor(self.browser.document())
            cursor.setPosition(self.highlights[0][0])
            self.browser.setTextCursor(cursor)
            self.browser.ensureCursorVisible()
        else:
            self.browser.moveCursor(QTextCursor.MoveOperation.Start)
        self._load_page_view(self.page_button.isChecked())
        self.integrity.show_document(document)
        self._fit_header()
        self.shown.emit(document.id)

    def refresh_tags(self) -> None:
        if self.document is not None:
            self._show_tags(self.document.id)
            self._fit_header()

    def _show_header(self, document: Document) -> None:
        self.title.setText(document.title)
        _align_to(self.title, document.title)
        self.title.show()
        parts = [
            long_date_text(document.date) or _("undated"),
            document_language_name(document.language),
            status_name(document.status),
        ]
        if document.pages:
            parts.append(
                ngettext("{count} page", "{count} pages", document.pages).format(
                    count=format_count(document.pages)
                )
            )
        parts.append(format_file_size(document.size))
        parts.append(in_own_direction(document.source_name))
        self.details.setText(" · ".join(parts))
        self.details.show()
        self._show_tags(document.id)
        if document.warnings:
            self.warnings.setText("\n".join(warning_lines(document.warnings)))
            self.warnings.show()
        else:
            self.warnings.hide()

    def _show_ocr_line(self, ocr: dict | None) -> None:
        """Above the text, for a document OCR read: that it did, with what, and how sure it was."""
        if not ocr:
            self.ocr_line.hide()
            return
        line = _("Text read by OCR ({engine}): mean confidence {confidence}.").format(
            engine=isolated_code(ocr.get("engine") or "?"),
            confidence=format_percent(float(ocr.get("confidence") or 0) / 100),
        )
        if self._layout.low_positions:
            line += " " + _("Words read with low confidence are shaded.")
        self.ocr_line.setText(line)
        self.ocr_line.show()

    def _show_tags(self, document_id: int) -> None:
        tags = self.archive.document_tags(document_id)
        lines = [
            _("{facet}: {names}").format(
                facet=facet_title(facet), names=joined(isolated(tag_label(t)) for t in tags[facet])
            )
            for facet in FACETS
            if tags[facet]
        ]
        self.tags.setText("\n".join(lines) if lines else _("No tags yet."))
        self.tags.show()

    # ---- the original ------------------------------------------------------------------------------
    def original_copy(self) -> Path | None:
        """A read-only copy of the stored original under its own file name (programs need the extension)."""
        if self.document is None:
            return None
        stored = self.archive.original_path(self.document)
        if self._temp_dir is None:
            self._temp_dir = Path(tempfile.mkdtemp(prefix="qirtas-originals-"))
        folder = self._temp_dir / self.document.sha256[:16]
        folder.mkdir(exist_ok=True)
        copy = folder / (Path(self.document.source_name).name or self.document.sha256)
        if not copy.exists():
            shutil.copyfile(stored, copy)
            copy.chmod(0o444)
        return copy

    def open_original(self) -> None:
        if self.document is None:
            return
        if not self.archive.original_path(self.document).exists():
            self.message.emit(_("The original file is missing from the archive; run Verify to check it."))
            return
        copy = self.original_copy()
        if copy is not None and not self.open_url(QUrl.fromLocalFile(str(copy))):
            self.message.emit(_("No program is set up to open {name}.").format(name=isolated(copy.name)))

    def show_in_folder(self) -> None:
        if self.document is not None:
            folder = self.archive.original_path(self.document).parent
            self.open_url(QUrl.fromLocalFile(str(folder)))

    # ---- the original page beside the text ----------------------------------------------------------
    def _has_page_view(self, document: Document) -> bool:
        if document.media_type == PDF_MEDIA_TYPE:
            return self.pdf_view is not None
        return document.media_type.startswith("image/")

    def _load_page_view(self, on: bool = True) -> None:
        """Show the original page beside the text (`on`) when the document has pages to show: a PDF's
        through QtPdf, an image file's as a picture; a text file has none."""
        document = self.document
        is_image = on and document is not None and document.media_type.startswith("image/")
        is_pdf = on and document is not None and document.media_type == PDF_MEDIA_TYPE
        self.image_view.setVisible(is_image)
        if self.pdf_view is not None:
            self.pdf_view.setVisible(is_pdf)
        if is_image and document is not None:
            self.image_view.load(self.archive.original_path(document), self.current_page())
        elif is_pdf:
            self._load_pdf()

    def _load_pdf(self) -> None:
        if self.pdf_view is None or self.document is None or self.document.media_type != PDF_MEDIA_TYPE:
            return
        if self._pdf is None:
            self._pdf = QPdfDocument(self)
        self._pdf.load(str(self.archive.original_path(self.document)))
        self.pdf_view.setDocument(self._pdf)
        self._follow_page()

    def current_page(self) -> int:
        """The page (0-based) of the text at the top of the reader."""
        if not self.page_positions:
            return 0
        top = self.browser.cursorForPosition(self.browser.viewport().rect().topLeft()).position()
        return max(0, sum(1 for position in self.page_positions if position <= top) - 1)

    def _follow_page(self, *_args) -> None:
        if self.image_view.isVisible():
            self.image_view.show_page(self.current_page())
        if self.pdf_view is None or not self.pdf_view.isVisible() or self._pdf is None:
            return
        navigator = self.pdf_view.pageNavigator()
        page = self.current_page()
        if page != navigator.currentPage():
            navigator.jump(page, QPointF(), navigator.currentZoom())
