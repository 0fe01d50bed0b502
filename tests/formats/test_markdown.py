"""Markdown rendering, HTML sanitising and the heading-anchor contract."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from camp.formats.markdown import (
    TEXT_FORMATS,
    RenderedMarkdown,
    TocEntry,
    heading_anchor,
    render_markdown,
    render_text,
    sanitise_html,
    strip_to_text,
)

NASTY = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript&#58;alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    "<style>body{display:none}</style>",
    '<p style="position:fixed;top:0">x</p>',
    '<div class="evil" style="position:fixed">x</div>',
    '<iframe src="https://evil.example"></iframe>',
    "<svg onload=alert(1)><circle/></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<form action="https://evil.example"><input name=x><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<body onload="alert(1)">',
    '<h2 onclick="alert(1)" id="x">h</h2>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "![img](javascript:alert(1))",
    "<javascript:alert(1)>",
    '<object data="x.swf"></object>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--<script>alert(1)</script>-->",
    '<a href="#" onmouseover="alert(1)">x</a>',
    '"><script>alert(1)</script>',
    "\n\n",
    "\n## heading\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "`code`",
    "*",
]
FORBIDDEN_TAGS = {"script", "style", "iframe", "svg", "form", "meta", "object", "embed", "math"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")

nasty_text = st.lists(st.one_of(st.text(max_size=20), st.sampled_from(NASTY)), max_size=12).map(
    "".join
)


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((tag, name, value or "") for name, value in attrs)

    handle_startendtag = handle_starttag


def assert_safe(output: str) -> None:
    lowered = output.lower()
    for fragment in ("<script", "<style", "<iframe"):
        assert fragment not in lowered
    inspector = _Inspector()
    inspector.feed(output)
    inspector.close()
    assert not FORBIDDEN_TAGS & set(inspector.tags)
    for tag, name, value in inspector.attrs:
        assert not name.startswith("on"), (tag, name)
        assert name not in ("style", "class"), (tag, name)
        squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
        if name in ("href", "src"):
            assert not squeezed.startswith(BAD_SCHEMES), (tag, name, value)


@settings(max_examples=300)
@given(nasty_text)
def test_render_markdown_is_safe(text: str) -> None:
    rendered = render_markdown(text)
    assert_safe(rendered.html)
    anchors = [entry.anchor for entry in rendered.toc]
    assert len(anchors) == len(set(anchors))


@settings(max_examples=300)
@given(nasty_text)
def test_sanitise_html_is_safe(text: str) -> None:
    assert_safe(sanitise_html(text))


@settings(max_examples=200)
@given(nasty_text, st.sampled_from([*TEXT_FORMATS, "unknown"]))
def test_render_text_is_safe_in_every_format(text: str, text_format: str) -> None:
    assert_safe(render_text(text, text_format))


@pytest.mark.parametrize("fragment", NASTY)
def test_each_nasty_fragment_is_neutralised(fragment: str) -> None:
    assert_safe(render_markdown(fragment).html)
    for text_format in TEXT_FORMATS:
        assert_safe(render_text(fragment, text_format))


@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        ("Kinds of IP & their terms", "kinds-of-ip-their-terms"),
        ("Why IP matters", "why-ip-matters"),
        ("  Patents -- and -- utility models  ", "patents-and-utility-models"),
        ("TRIPS: Article 27(1)", "trips-article-271"),
        ("snake_case_name", "snakecasename"),
        ("-leading and trailing-", "leading-and-trailing"),
        ("Propriété intellectuelle", "propriété-intellectuelle"),
        ("!!!", ""),
        ("", ""),
    ],
)
def test_heading_anchor(text: str, anchor: str) -> None:
    assert heading_anchor(text) == anchor


@given(st.text())
def test_heading_anchor_shape(text: str) -> None:
    anchor = heading_anchor(text)
    assert "--" not in anchor
    assert not anchor.startswith("-")
    assert not anchor.endswith("-")
    assert " " not in anchor
    assert anchor == anchor.lower()


def test_h2_and_h3_get_ids_and_a_toc() -> None:
    rendered = render_markdown(
        "# Lesson\n\n## Kinds of IP & their *terms*\n\ntext\n\n### `TRIPS` and you\n\n#### Deep\n"
    )
    assert isinstance(rendered, RenderedMarkdown)
    assert "<h1>Lesson</h1>" in rendered.html
    assert '<h2 id="kinds-of-ip-their-terms">' in rendered.html
    assert '<h3 id="trips-and-you">' in rendered.html
    assert "<h4>Deep</h4>" in rendered.html
    assert rendered.toc == [
        TocEntry(level=2, text="Kinds of IP & their terms", anchor="kinds-of-ip-their-terms"),
        TocEntry(level=3, text="TRIPS and you", anchor="trips-and-you"),
    ]


def test_duplicate_headings_get_numbered_anchors() -> None:
    rendered = render_markdown("## Terms\n\n### Terms\n\n## Terms\n\n## Terms 2\n")
    assert [entry.anchor for entry in rendered.toc] == ["terms", "terms-2", "terms-3", "terms-2-2"]


def test_heading_without_letters_gets_a_fallback_anchor() -> None:
    rendered = render_markdown("## ???\n\n## !!!\n")
    assert [entry.anchor for entry in rendered.toc] == ["section", "section-2"]


def test_links_to_anchors_survive() -> None:
    html = render_markdown("## Kinds of IP\n\nSee [kinds](#kinds-of-ip).\n").html
    assert '<a href="#kinds-of-ip" rel="noopener noreferrer">kinds</a>' in html


def test_table_with_alignment() -> None:
    html = render_markdown("| Right | Centre | Plain |\n|---:|:---:|---|\n| 1 | 2 | 3 |\n").html
    assert "<table>" in html
    assert '<th align="right">Right</th>' in html
    assert '<td align="center">2</td>' in html
    assert "<td>3</td>" in html
    assert "style" not in html


def test_strikethrough_and_emphasis() -> None:
    html = render_markdown("~~gone~~ *em* **strong** `code`").html
    assert html == "<p><s>gone</s> <em>em</em> <strong>strong</strong> <code>code</code></p>\n"


def test_links_keep_safe_urls_and_get_rel() -> None:
    html = render_markdown(
        '[a](https://www.wipo.int "WIPO") [b](/lessons/2) [c](mailto:x@example.org) '
        "[d](ftp://example.org/x)"
    ).html
    assert '<a href="https://www.wipo.int" title="WIPO" rel="noopener noreferrer">a</a>' in html
    assert '<a href="/lessons/2" rel="noopener noreferrer">b</a>' in html
    assert '<a href="mailto:x@example.org" rel="noopener noreferrer">c</a>' in html
    assert "ftp:" not in html


def test_images_keep_src_alt_title() -> None:
    html = render_markdown('![A chart](/static/chart.png "Title")').html
    assert '<img src="/static/chart.png" alt="A chart" title="Title">' in html


def test_raw_html_in_markdown_is_escaped() -> None:
    html = render_markdown("Hello <b>world</b>").html
    assert "&lt;b&gt;world&lt;/b&gt;" in html


def test_fenced_code_loses_its_class() -> None:
    html = render_markdown("```python\nx = 1\n```\n").html
    assert html == "<pre><code>x = 1\n</code></pre>\n"


def test_sanitise_html_keeps_prose() -> None:
    source = (
        '<h3 id="x">T</h3><p class="c">A<br>B<sup>2</sup></p><ol start="3"><li>i</li></ol>'
        "<dl><dt>t</dt><dd>d</dd></dl><blockquote>q</blockquote><hr><del>d</del>"
    )
    assert sanitise_html(source) == (
        '<h3 id="x">T</h3><p>A<br>B<sup>2</sup></p><ol start="3"><li>i</li></ol>'
        "<dl><dt>t</dt><dd>d</dd></dl><blockquote>q</blockquote><hr><del>d</del>"
    )


def test_sanitise_html_drops_script_content_but_keeps_unknown_tag_text() -> None:
    assert sanitise_html("<script>alert(1)</script><blink>hi</blink>") == "hi"


def test_render_text_markdown_has_no_heading_ids() -> None:
    assert render_text("## Q\n\n*why*?", "markdown") == "<h2>Q</h2>\n<p><em>why</em>?</p>\n"


def test_render_text_html() -> None:
    assert render_text('<p onclick="x()">Hi <b>there</b></p>', "html") == "<p>Hi <b>there</b></p>"


def test_render_text_moodle_makes_paragraphs_and_breaks() -> None:
    assert render_text("one\ntwo\n\n  \nthree <i>x</i>", "moodle") == (
        "<p>one<br>\ntwo</p>\n<p>three <i>x</i></p>"
    )


def test_render_text_moodle_leaves_block_html_alone() -> None:
    assert render_text("<p>one\ntwo</p>", "moodle") == "<p>one\ntwo</p>"


def test_render_text_plain_escapes() -> None:
    assert render_text("a < b\r\n<b>c</b>", "plain") == "a &lt; b<br>\n&lt;b&gt;c&lt;/b&gt;"


def test_render_text_unknown_format_is_plain() -> None:
    assert render_text("<b>x</b>", "rtf") == render_text("<b>x</b>", "plain")


@pytest.mark.parametrize(
    ("text", "text_format", "expected"),
    [
        ("## Head\n\nSome **bold**ness and [a link](https://x.org).\n\n- a\n- b", "markdown", None),
        ("<h2>Head</h2><p>Some <b>bold</b>ness and <a href='#'>a link</a>.</p>", "html", None),
        ("Head\n\nSome <b>bold</b>ness and a link.", "moodle", None),
        ("  Head\n  Some boldness  ", "plain", "Head Some boldness"),
        ("<b>x</b> &amp;", "plain", "<b>x</b> &amp;"),
        ("<script>alert(1)</script>Safe &amp; sound", "html", "Safe & sound"),
    ],
)
def test_strip_to_text(text: str, text_format: str, expected: str | None) -> None:
    result = strip_to_text(text, text_format)
    if expected is None:
        assert result.startswith("Head Some boldness and a link")
        assert "<" not in result
        assert "  " not in result
    else:
        assert result == expected
