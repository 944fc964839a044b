"""Whether a Qt object still exists: a result from a worker thread may arrive after its window was replaced
(a language switch builds a new window and deletes the old one)."""

from __future__ import annotations

from qirtas.desktop.qt import QObject


class Lifetime:
    """`alive` turns False when `qobject` is destroyed; check it before touching widgets in a late callback."""

    def __init__(self, qobject: QObject) -> None:
        self.alive = True
        qobject.destroyed.connect(self._ended)

    def _ended(self, *_args) -> None:
        self.alive = False
