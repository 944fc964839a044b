"""Linking as translators do: any document found by search, candidates told apart, same language asked first."""

from __future__ import annotations

import json
import re

import pytest
from qirtas.archive import bilingual
from qirtas.cli.main import main

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture
def link_page(demo_session, qtbot, wait_for_writes):
    """The review window of document 5 (English) with its translation unlinked: the linking page."""
    from qirtas.desktop.bilingual_view import BilingualView

    bilingual.unlink(demo_session.archive, 5, 6)
    widget = BilingualView(demo_session, 5)
    qtbot.addWidget(widget)
    assert widget.pages.currentWidget() is widget.link_page
    return widget


def items(widget) -> list[str]:
    """Each row's text, without the isolate (LRI … PDI) that keeps the details in the UI's direction."""
    texts = [widget.candidate_list.item(row).text() for row in range(widget.candidate_list.count())]
    for text in texts:
        assert text.split("\n")[1][0] == "\u2066" and text.endswith("\u2069")
    return [text.replace("\u2066", "").replace("\u2069", "") for text in texts]


def test_candidates_show_id_date_language_file_name_and_score(link_page):
    title, details = items(link_page)[0].split("\n")
    assert "دوشانبي" in title
    assert details.startswith("#6 · ") and " · ar · " in details and "005_ar_dushanbe" in details
    assert details.split(" · ")[1] == "—" and re.fullmatch(r"score \d+(\.\d)?", details.split(" · ")[4])
    assert "70" in link_page.candidate_list.item(0).toolTip()  # the evidence itself
    link_page.find_documents("2")
    assert items(link_page)[0].split("\n")[1].startswith("#2 · 9 Dec 2020 · en · ")  # no score: not proposed


def test_any_document_found_by_id_title_or_words_can_be_linked(
    link_page, qtbot, demo_session, wait_for_writes
):
    link_page.find_documents("3")  # an id: the finder does not propose it
    assert items(link_page)[0].startswith("مندوب الصين") and "#3 · " in items(link_page)[0]
    link_page.find_documents("CTED")  # words of a title
    assert any("#2 · " in text for text in items(link_page))
    link_page.find_documents("مندوب")  # an Arabic word
    assert "#3 · " in items(link_page)[0] and link_page.link_button.isEnabled()
    with qtbot.waitSignal(link_page.changed):
        link_page.link_button.click()
    wait_for_writes(demo_session)
    assert demo_session.archive.translations(5) == [3]
    assert link_page.pages.currentWidget() is link_page.review_page
    link_page.find_documents("")  # back to the finder's own candidates (not shown on the review page)


def test_linking_two_documents_of_one_language_asks_first(
    link_page, qtbot, demo_session, wait_for_writes, monkeypatch
):
    asked = []
    monkeypatch.setattr(link_page, "confirm_same_language", lambda other: asked.append(other) or False)
    link_page.find_documents("#2")
    link_page.link_selected()
    wait_for_writes(demo_session)
    assert asked == [2] and demo_session.archive.translations(5) == []  # declined: nothing linked
    monkeypatch.setattr(link_page, "confirm_same_language", lambda other: asked.append(other) or True)
    with qtbot.waitSignal(link_page.changed):
        link_page.link_selected()
    wait_for_writes(demo_session)
    assert asked == [2, 2] and demo_session.archive.translations(5) == [2]
    link_page.open_document(5)
    asked.clear()
    bilingual.unlink(demo_session.archive, 5, 2)
    link_page.open_document(5)
    link_page.find_documents("6")
    with qtbot.waitSignal(link_page.changed):
        link_page.link_selected()  # English and Arabic: nothing to ask
    wait_for_writes(demo_session)
    assert asked == [] and demo_session.archive.translations(5) == [6]


def test_the_command_line_refuses_one_language_without_force(demo_archive, capsys):
    folder = str(demo_archive.path)
    demo_archive.close()
    assert main(["--archive", folder, "link", "5", "2"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert "both in the same language (en)" in captured.err and "--force" in captured.err
    assert main(["--archive", folder, "link", "5", "2", "--json"]) == 1
    assert "--force" in json.loads(capsys.readouterr().out)["error"]
    assert main(["--archive", folder, "link", "5", "2", "--force", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["created"] is True
    assert main(["--archive", folder, "link", "5", "2"]) == 0  # already linked: nothing to refuse
    assert "already linked" in capsys.readouterr().out
