"""What an analyst reads in the report: Russian plurals from one helper, chart labels that keep
a theme's own words, the urgent queue's first fifty with the rest behind "показать все"."""

from __future__ import annotations

import re

import pytest

from sample_picture import sample_picture
from veche.report.html import URGENT_FIRST, chart_label, render_html
from veche.report.labels import plural_ru


@pytest.mark.parametrize(
    ("n", "word"),
    [
        (0, "вопросов"), (1, "вопрос"), (2, "вопроса"), (4, "вопроса"), (5, "вопросов"),
        (11, "вопросов"), (12, "вопросов"), (14, "вопросов"), (21, "вопрос"), (22, "вопроса"),
        (84, "вопроса"), (100, "вопросов"), (101, "вопрос"), (111, "вопросов"), (1_000_002, "вопроса"),
    ],
)  # fmt: skip
def test_plural_forms(n: int, word: str) -> None:
    assert plural_ru(n) == word


def test_report_counts_read_as_russian() -> None:
    p = sample_picture(n=900, seed=4, max_fine=5, shortlist_size=3)
    html = render_html(p)
    # "3 вопросов из 120" was printed for every shortlist
    assert not re.search(r"\b[234] вопросов\b", html.replace("\u00a0", " "))
    assert "3\u00a0вопроса из" in html


def test_chart_labels_keep_the_themes_own_words() -> None:
    label = "Военнослужащие, участники СВО и их семьи: выплаты, контракт, ранение, отпуск"
    shown = chart_label(label, 40)
    for word in ("выплаты", "контракт", "ранение", "отпуск"):
        assert word in shown, shown
    assert shown.startswith("выплаты")  # the words that tell it from its topic's other themes
    assert chart_label("дом, вода") == "дом, вода"


def test_urgent_queue_shows_fifty_first_and_the_rest_behind_show_all() -> None:
    p = sample_picture(n=6000, seed=1, max_fine=5, shortlist_size=3)
    assert len(p.urgent) > URGENT_FIRST + 10
    html = render_html(p)
    section = html[html.index('<section id="urgent">') : html.index('<section id="campaigns">')]
    first, _, rest = section.partition('<details class="urgent-more">')
    assert first.count("<tr>") - 1 == URGENT_FIRST  # header row + fifty
    assert "Показать все" in rest
    assert rest.count("<tr>") - 1 == min(len(p.urgent), 500) - URGENT_FIRST
