"""Dialogs: tagging, the vocabulary, theme keywords, About and the small shared ones."""
