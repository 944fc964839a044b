"""The main window and what it shows: the document table and its model, the facets sidebar, the reader, the filters and panels features add."""
