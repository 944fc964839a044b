"""Qt's own dialogs in the interface language: the qtbase catalog shipped with PySide6, and what it misses.

PySide6 ships qtbase_ar.qm, but it was made for older Qt sources: Qt 6's file dialog asks for "&Look in:"
and "Files of &type:" (with mnemonics) where the catalog has "Look in:" and "Files of type:", and the
file icon provider moved from QFileIconProvider to QAbstractFileIconProvider ("Folder", "Drive"…). So
those stayed English beside Arabic buttons. `QtCatalog` finds them under their older keys.
"""

from __future__ import annotations

from qirtas.desktop.qt import QLibraryInfo, QLocale, QObject, QTranslator

# contexts Qt 6 renamed, and the name the shipped catalogs still use
_OLD_CONTEXTS = {"QAbstractFileIconProvider": "QFileIconProvider"}


class _OlderKeys(QTranslator):
    """Asks `catalog` again with the mnemonic taken out of the source text and renamed contexts undone."""

    def __init__(self, catalog: QTranslator, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog

    def isEmpty(self) -> bool:
        return False

    def translate(self, context, source_text, disambiguation=None, n=-1):
        if not source_text:
            return ""
        contexts = [context, _OLD_CONTEXTS.get(context)] if context in _OLD_CONTEXTS else [context]
        texts = [source_text]
        if "&" in source_text:
            texts.append(source_text.replace("&&", "\0").replace("&", "").replace("\0", "&"))
        for old_context in contexts:
            for text in texts:
                if old_context == context and text == source_text:
                    continue  # the catalog itself answers that
                found = self.catalog.translate(old_context, text, disambiguation, n)
                if found:
                    return found
        return ""


def install_qt_catalogs(qapp, language: str) -> list[QTranslator]:
    """Install Qt's catalog of `language` (and the fallback for its stale keys); returns them, to remove
    them again on a language switch. English needs none."""
    if language == "en":
        return []
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    catalog = QTranslator(qapp)
    if not catalog.load(QLocale(language), "qtbase", "_", folder):
        catalog = QTranslator(qapp)
        if not catalog.load(QLocale(language), "qt", "_", folder):
            return []
    older = _OlderKeys(catalog, qapp)
    # the most recently installed translator is asked first: the catalog, then its older keys
    qapp.installTranslator(older)
    qapp.installTranslator(catalog)
    return [catalog, older]
