"""Start-up: fonts, language (catalog, Qt's own translations, layout direction), the archive and the window."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from qirtas.archive.archive import Archive, ArchiveError
from qirtas.desktop.actions import remember_archive
from qirtas.desktop.errors import UncaughtExceptions, error_sentence
from qirtas.desktop.fonts import register_fonts, ui_font
from qirtas.desktop.jobs.session import Session
from qirtas.desktop.qt import (
    QApplication,
    QIcon,
    QLocale,
    QMessageBox,
    QSettings,
    Qt,
    QTranslator,
)
from qirtas.desktop.qt_translations import install_qt_catalogs
from qirtas.desktop.views.read_only import show_read_only_banner
from qirtas.desktop.views.window import MainWindow
from qirtas.i18n import _, current_language, setup_i18n
from qirtas.i18n.formatting import digits_setting, set_digits

from qirtas.logs import setup_logging

log = logging.getLogger(__name__)

ORGANIZATION = "Qirtas"
APPLICATION = "Qirtas"
APPLICATION_ID = "io.github.qirtas.Qirtas"  # the desktop entry's and AppStream's name (packaging/)
ICON = Path(__file__).parent / "resources" / "qirtas.svg"


def default_archive_path() -> Path:
    """Where the archive lives when none is named (as the command line decides it)."""
    from platformdirs import user_data_dir

    return Path(
        os.environ.get("QIRTAS_ARCHIVE") or Path(user_data_dir("Qirtas", appauthor=False)) / "archive"
    )


def qt_locale(language: str) -> QLocale:
    """The locale Qt's own widgets format numbers with (progress bars, spin boxes).

    QLocale("ar") means ar_EG, which prints Arabic-Indic digits (١٢٣); the digits follow the same
    setting as Babel's formatting (`i18n.formatting.digits_setting`), Latin by default.
    """
    if language != "ar":
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    country = QLocale.Country.Egypt if digits_setting() == "arab" else QLocale.Country.Morocco
    return QLocale(QLocale.Language.Arabic, country)


class Application:
    """Owns the open archive (a Session) and the window; rebuilds the window on a language switch."""

    def __init__(self, qapp: QApplication, settings: QSettings) -> None:
        self.qapp = qapp
        self.settings = settings
        self.session: Session | None = None
        self.window: MainWindow | None = None
        self._translators: list[QTranslator] = []

    # ---- language -----------------------------------------------------------------------------------
    def apply_language(self, language: str) -> str:
        """Activate our catalog and Qt's, and mirror the layout for Arabic."""
        language = setup_i18n(language)
        for translator in self._translators:
            self.qapp.removeTranslator(translator)
        self._translators = install_qt_catalogs(self.qapp, language)
        QLocale.setDefault(qt_locale(language))
        self.qapp.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if language == "ar" else Qt.LayoutDirection.LeftToRight
        )
        self.settings.setValue("language", language)
        return language

    def switch_language(self, language: str) -> None:
        self.apply_language(language)
        self.build_window()

    def switch_digits(self, arabic_indic: bool) -> None:
        """Arabic-Indic (٠١٢٣) or Latin digits for numbers and dates in the Arabic interface; remembered."""
        digits = "arab" if arabic_indic else "latn"
        if digits == digits_setting():
            return
        set_digits(digits)
        self.settings.setValue("digits", digits)
        self.switch_language(current_language())

    # ---- archive and window -------------------------------------------------------------------------
    def open_archive(self, path: str | Path, create: bool = True) -> bool:
        if not self._stop_work_before_switching(path):
            return False
        try:
            archive = Archive.open(path, create=create)
        except (ArchiveError, OSError) as error:
            QMessageBox.warning(self.window, _("Open archive"), error_sentence(error, Path(path)))
            return False
        if self.session is not None:
            if self.window is not None:
                self.window.retire()
                self.window.save_settings()
            self.session.close()
        self.session = Session(archive)
        remember_archive(self.settings, archive.path)
        self.settings.setValue("last_archive", str(archive.path))
        self.build_window()
        return True

    def _stop_work_before_switching(self, path: str | Path) -> bool:
        """Work still running in the open archive (an import, an export, a verification) is stopped, if
        the user agrees, before another archive opens; True when nothing runs any more."""
        session = self.session
        if session is None or not session.running_work:
            return True
        if Path(path).expanduser().resolve() == session.archive.path:
            return True
        answer = QMessageBox.question(
            self.window,
            _("Open archive"),
            _(
                "Work is still running in {current} (an import, an export or a verification). Stop it and "
                "open {folder}? What is already done stays in the archive."
            ).format(current=session.archive.path, folder=path),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        if self.window is not None:
            self.window.statusBar().showMessage(_("Stopping the running work…"))
        session.stop_work()
        return True

    def build_window(self) -> MainWindow:
        """(Re)create the main window in the current language, carrying over the search and selection."""
        assert self.session is not None
        previous = self.window
        window = MainWindow(self.session, self.settings)
        if self.session.archive.read_only:
            show_read_only_banner(window)
        window.open_archive_requested.connect(self.open_archive)
        window.language_requested.connect(self.switch_language)
        window.digits_requested.connect(self.switch_digits)
        if previous is not None and previous.session is self.session:
            window.carry_over(previous)
        elif window.model.rowCount():
            window.select_document(window.model.id_at(0))  # open on something to read
        if previous is not None:
            previous.retire()
            previous.save_settings()
            previous.hide()
            previous.deleteLater()
        self.window = window
        window.show()
        return window

    def shutdown(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None


def create_qapplication() -> QApplication:
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    qapp.setOrganizationName(ORGANIZATION)
    qapp.setApplicationName(APPLICATION)
    qapp.setApplicationDisplayName("Qirtas")
    qapp.setDesktopFileName(APPLICATION_ID)  # Wayland finds the icon through the desktop entry's name
    qapp.setWindowIcon(QIcon(str(ICON)))
    register_fonts()
    qapp.setFont(ui_font())
    return qapp


def run(archive: str | None = None, language: str | None = None) -> int:
    """Open the desktop application (``qirtas gui [--archive DIR] [--lang ar]``); returns the exit status."""
    logging.basicConfig(level=logging.WARNING)
    setup_logging()
    qapp = create_qapplication()
    settings = QSettings(ORGANIZATION, APPLICATION)
    application = Application(qapp, settings)
    uncaught = UncaughtExceptions(lambda: application.window)
    uncaught.install()
    set_digits("arab" if settings.value("digits", "latn") == "arab" else "latn")
    application.apply_language(language or str(settings.value("language", "") or QLocale.system().name()))
    path = archive or settings.value("last_archive") or default_archive_path()
    try:
        if not application.open_archive(path) and not application.open_archive(default_archive_path()):
            return 1
        return qapp.exec()
    finally:
        uncaught.uninstall()
        application.shutdown()
