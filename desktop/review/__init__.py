"""The translation review window's parts (the window itself is desktop/bilingual_view.py): `pairs`, the
pair table's model and delegate; `page`, the review page; `linking`, the page that finds a document to link;
`exports`, the report and the translation memory (TMX, XLIFF 2.0)."""
