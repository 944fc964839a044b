"""The one module that imports Qt: every other desktop module takes its Qt names from here."""

import ctypes
import sys

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QLibraryInfo,
    QLocale,
    QMimeData,
    QModelIndex,
    QObject,
    QPoint,
    QPointF,
    QSettings,
    QSize,
    QSortFilterProxyModel,
    QStringListModel,
    Qt,
    QTimer,
    QTranslator,
    QUrl,
    Signal,
    SignalInstance,
    qVersion,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QBrush,
    QColor,
    QDesktopServices,
    QDropEvent,
    QFont,
    QFontDatabase,
    QFontInfo,
    QGuiApplication,
    QKeySequence,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMenuBar,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QStyle,
    QTableView,
    QTextBrowser,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

QSelectionFlag = QItemSelectionModel.SelectionFlag


def _emit_drops_a_reference() -> bool:
    """PySide6 6.12.0's SignalInstance.emit returns True without taking a reference to it.

    Each emit then takes one reference from the shared True object until CPython frees it and aborts
    ("bool_dealloc: deallocating True or False") — after a few hundred emits in a long session.
    """

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(4):
        probe.ping.emit()
    return sys.getrefcount(True) < before


if _emit_drops_a_reference():
    _emit = SignalInstance.emit

    def _emit_keeping_its_reference(self, *args):
        result = _emit(self, *args)
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))  # the reference emit should have taken
        return result

    SignalInstance.emit = _emit_keeping_its_reference

try:  # PySide6-Pdf is a separate wheel; without it the reader simply has no page view.
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView
except ImportError:  # pragma: no cover - depends on the installation
    QPdfDocument = None
    QPdfView = None

__all__ = [
    "QAbstractItemView",
    "QAbstractTableModel",
    "QAction",
    "QActionGroup",
    "QApplication",
    "QBrush",
    "QByteArray",
    "QColor",
    "QComboBox",
    "QCompleter",
    "QDesktopServices",
    "QDialog",
    "QDialogButtonBox",
    "QDropEvent",
    "QEvent",
    "QFileDialog",
    "QFont",
    "QFontDatabase",
    "QFontInfo",
    "QFormLayout",
    "QFrame",
    "QGuiApplication",
    "QHBoxLayout",
    "QHeaderView",
    "QInputDialog",
    "QItemSelection",
    "QItemSelectionModel",
    "QKeySequence",
    "QLabel",
    "QLibraryInfo",
    "QLineEdit",
    "QListWidget",
    "QListWidgetItem",
    "QLocale",
    "QMainWindow",
    "QMenu",
    "QMenuBar",
    "QMessageBox",
    "QMimeData",
    "QModelIndex",
    "QObject",
    "QPalette",
    "QPdfDocument",
    "QPdfView",
    "QPlainTextEdit",
    "QPoint",
    "QPointF",
    "QProgressBar",
    "QPushButton",
    "QScrollArea",
    "QSelectionFlag",
    "QSettings",
    "QSize",
    "QSortFilterProxyModel",
    "QSplitter",
    "QStackedWidget",
    "QStatusBar",
    "QStringListModel",
    "QStyle",
    "QTableView",
    "QTest",
    "QTextBlockFormat",
    "QTextBrowser",
    "QTextCharFormat",
    "QTextCursor",
    "QTextDocument",
    "QTextOption",
    "QTimer",
    "QToolButton",
    "QTranslator",
    "QTreeWidget",
    "QTreeWidgetItem",
    "QTreeWidgetItemIterator",
    "QUndoCommand",
    "QUndoStack",
    "QUrl",
    "QVBoxLayout",
    "QWidget",
    "Qt",
    "Signal",
    "qVersion",
]
