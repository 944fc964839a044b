"""Tools › Theme keywords…: the words and phrases, in English and Arabic, that make a theme suggested."""

from __future__ import annotations

from qirtas.archive.suggest import ThemeKeywords, reset_theme_keywords, set_theme_keywords, theme_keywords
from qirtas.desktop.accessible import name_form_fields, name_view
from qirtas.desktop.jobs.session import Session
from qirtas.desktop.labels import in_own_direction
from qirtas.desktop.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTextOption,
    QVBoxLayout,
    QWidget,
)
from qirtas.i18n import _, current_language

THEME_ROLE = Qt.ItemDataRole.UserRole


def keywords_from(text: str) -> list[str]:
    """One keyword or phrase per line (commas separate too); blanks dropped."""
    return [part.strip() for line in text.splitlines() for part in line.split(",") if part.strip()]


def _keyword_field(direction: Qt.LayoutDirection) -> QPlainTextEdit:
    """A field whose lines run in `direction` and sit on its side, whatever the UI direction."""
    field = QPlainTextEdit()
    option = QTextOption()
    option.setTextDirection(direction)
    side = (
        Qt.AlignmentFlag.AlignRight
        if direction == Qt.LayoutDirection.RightToLeft
        else Qt.AlignmentFlag.AlignLeft
    )
    option.setAlignment(side | Qt.AlignmentFlag.AlignAbsolute)
    field.document().setDefaultTextOption(option)
    return field


class ThemeKeywordsDialog(QDialog):
    """Pick a theme, edit its keywords in both languages, Save (or go back to the defaults)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.themes: list[ThemeKeywords] = []
        self.setWindowTitle(_("Theme keywords"))
        self.resize(720, 440)
        self.list = QListWidget()
        name_view(self.list, _("Themes"))
        self.list.currentRowChanged.connect(self._show_theme)
        self.english = _keyword_field(Qt.LayoutDirection.LeftToRight)
        self.arabic = _keyword_field(Qt.LayoutDirection.RightToLeft)
        self.state = QLabel()
        self.state.setStyleSheet("color: #777;")
        hint = QLabel(
            _(
                "One word or phrase per line. End a word with * to match any ending (extremis* finds "
                "extremism and extremist). A theme is suggested when its keywords occur at least twice, "
                "or as a phrase of two words."
            )
        )
        hint.setWordWrap(True)
        self.save_button = QPushButton(_("Save"))
        self.save_button.clicked.connect(self.save)
        self.defaults_button = QPushButton(_("Restore defaults"))
        self.defaults_button.clicked.connect(self.restore_defaults)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.defaults_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ApplyRole)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("English:"), self.english)
        form.addRow(_("Arabic:"), self.arabic)
        name_form_fields(form)
        right = QVBoxLayout()
        right.addLayout(form, 1)
        right.addWidget(self.state)
        right.addWidget(hint)
        columns = QHBoxLayout()
        columns.addWidget(self.list, 1)
        columns.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(buttons)
        self.reload()

    def reload(self, keep: int | None = None) -> None:
        self.themes = theme_keywords(self.session.archive)
        self.list.blockSignals(True)
        self.list.clear()
        for theme in self.themes:
            name = theme.name_ar if current_language() == "ar" and theme.name_ar else theme.name_en
            item = QListWidgetItem(in_own_direction(name or theme.name_ar))
            item.setData(THEME_ROLE, theme.tag_id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        ids = [theme.tag_id for theme in self.themes]
        row = ids.index(keep) if keep in ids else 0
        self.list.setCurrentRow(row)
        self._show_theme(row)
        has_themes = bool(self.themes)
        for widget in (self.save_button, self.defaults_button, self.english, self.arabic):
            widget.setEnabled(has_themes)
        if not has_themes:
            self.state.setText(_("The vocabulary has no themes yet."))

    def current(self) -> ThemeKeywords | None:
        row = self.list.currentRow()
        return self.themes[row] if 0 <= row < len(self.themes) else None

    def _show_theme(self, _row: int) -> None:
        theme = self.current()
        if theme is None:
            return
        self.english.setPlainText("\n".join(theme.en))
        self.arabic.setPlainText("\n".join(theme.ar))
        self.state.setText(_("Edited keywords.") if theme.edited else _("The default keywords."))

    def select_theme(self, tag_id: int) -> None:
        ids = [theme.tag_id for theme in self.themes]
        if tag_id in ids:
            self.list.setCurrentRow(ids.index(tag_id))

    def save(self) -> None:
        theme = self.current()
        if theme is None:
            return
        archive, english, arabic = (
            self.session.archive,
            keywords_from(self.english.toPlainText()),
            keywords_from(self.arabic.toPlainText()),
        )
        self.session.write(
            lambda: set_theme_keywords(archive, theme.tag_id, english, arabic),
            on_success=lambda _saved: self.reload(theme.tag_id),
        )

    def restore_defaults(self) -> None:
        theme = self.current()
        if theme is None:
            return
        archive = self.session.archive
        self.session.write(
            lambda: reset_theme_keywords(archive, theme.tag_id),
            on_success=lambda _none: self.reload(theme.tag_id),
        )
