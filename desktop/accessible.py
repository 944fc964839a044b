"""Accessible names for widgets whose purpose a screen reader cannot read off their own text."""

from __future__ import annotations

from qirtas.desktop.qt import (
    QAbstractButton,
    QAbstractItemView,
    QFormLayout,
    QLineEdit,
    QTableView,
    QToolButton,
    QTreeView,
    QWidget,
)
from qirtas.i18n import _


def name(widget: QWidget, text: str) -> QWidget:
    """Set the name a screen reader announces (already translated); returns the widget."""
    widget.setAccessibleName(text)
    return widget


def name_view(view: QAbstractItemView, text: str) -> QAbstractItemView:
    """Name a list, tree or table and the headers and corner button that come with it."""
    view.setAccessibleName(text)
    headers = []
    if isinstance(view, QTableView):
        headers = [(view.horizontalHeader(), _("{view}: column headings")), (view.verticalHeader(), None)]
        corner = view.findChild(QAbstractButton)  # the "select all" button where the headers meet
        if corner is not None:
            corner.setAccessibleName(_("{view}: select all").format(view=text))
    elif isinstance(view, QTreeView):
        headers = [(view.header(), _("{view}: column headings"))]
    for header, label in headers:
        header.setAccessibleName((label or _("{view}: row numbers")).format(view=text))
    return view


def name_form_fields(form: QFormLayout) -> None:
    """Name each field of a form after its label ("English name:" names the field "English name")."""
    for row in range(form.rowCount()):
        label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        if label is None or field is None or label.widget() is None or field.widget() is None:
            continue
        text = label.widget().text().replace("&", "").rstrip(" :：")
        if text and not field.widget().accessibleName():
            field.widget().setAccessibleName(text)


def name_clear_button(field: QLineEdit, text: str) -> None:
    """Name the clear button Qt puts into a line edit (setClearButtonEnabled), which has no text."""
    for button in field.findChildren(QToolButton):
        button.setAccessibleName(text)
