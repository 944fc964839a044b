"""Qirtas (قرطاس): an offline archive for bilingual English/Arabic document collections.

One import package: the repository's folders install as ``qirtas.archive``, ``qirtas.desktop``, … (see
``[tool.setuptools.package-dir]`` in pyproject.toml), so no other distribution can overwrite them."""

__version__ = "0.2.0"
