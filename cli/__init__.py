"""The `qirtas` command line: a thin client of the archive API, beside the GUI."""
