"""Fitting text into a width: Latin breaks at spaces, Chinese between characters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from camp.certificates.fonts import cid_font
from camp.certificates.layout import ELLIPSIS, fit, truncate, width, wrap

FONT = cid_font().name  # always there; its widths are ReportLab's own metrics
LATIN = "Times-Roman"


def test_latin_text_breaks_at_spaces():
    lines = wrap("patent drafting and prior art search", LATIN, 12, 100)
    assert len(lines) > 1
    assert " ".join(lines) == "patent drafting and prior art search"
    assert all(width(line, LATIN, 12) <= 100 for line in lines)


def test_chinese_text_breaks_between_characters_keeping_punctuation_attached():
    text = "知识产权战略与管理，从实验室到市场。（专利）检索"
    lines = wrap(text, FONT, 12, 60)
    assert "".join(lines) == text
    assert all(width(line, FONT, 12) <= 60 for line in lines)
    assert not any(line[0] in "，。）" for line in lines)
    assert not any(line[-1] == "（" for line in lines)


def test_a_word_wider_than_the_line_breaks_between_characters():
    url = "https://camp.example.edu.cn/certificates/abcde-fghij-klmno-pqrst"
    lines = wrap(url, LATIN, 10, 120)
    assert "".join(lines) == url
    assert all(width(line, LATIN, 10) <= 120 for line in lines)


def test_fit_keeps_the_largest_size_when_the_text_fits():
    assert fit("李小龙", FONT, max_size=40, min_size=20, max_width=600).size == 40


def test_fit_shrinks_before_it_wraps_and_wraps_before_it_cuts():
    name = "Maximiliano Alejandro Fernández de la Cruz"
    shrunk = fit(name, LATIN, max_size=40, min_size=20, max_width=500, max_lines=2)
    assert shrunk.lines == (name,)
    assert 20 <= shrunk.size < 40
    assert width(name, LATIN, shrunk.size) <= 500
    wrapped = fit(name * 2, LATIN, max_size=40, min_size=20, max_width=500, max_lines=2)
    assert len(wrapped.lines) == 2
    assert " ".join(wrapped.lines) == name * 2
    cut = fit(name * 9, LATIN, max_size=40, min_size=20, max_width=500, max_lines=2)
    assert cut.size == 20
    assert len(cut.lines) == 2
    assert cut.lines[-1].endswith(ELLIPSIS)


def test_truncate_leaves_a_fitting_text_alone():
    assert truncate("short", LATIN, 10, 100) == "short"
    assert width(truncate("long " * 50, LATIN, 10, 100), LATIN, 10) <= 100


@given(st.text(alphabet="ab cd张伟李，。（）-/", max_size=80), st.integers(20, 300))
def test_wrapping_keeps_every_character_and_lines_fit(text, max_width):
    lines = wrap(text, FONT, 10, max_width)
    assert "".join("".join(lines).split()) == "".join(text.split())
    assert all(width(line, FONT, 10) <= max_width or len(line) == 1 for line in lines)
