"""Markdown and HTML rendering for lessons, questions and feedback, always sanitised with nh3.

This module owns the heading-anchor algorithm (a contract: content authors link to it), the
HTML allow-list, and the single entry point `render_text` that turns stored text of any
format into HTML safe to put in a page.

Images come only from Camp itself: an `<img src>` with a scheme or a host (`https://...`,
`//host/...`, `data:`) is dropped, since camps run offline and a picture from elsewhere
would tell another site who reads what. A reference to an embedded file,
`@@PLUGINFILE@@/<name>` in a `src` or `href`, points at the question version's copy when
`render_text` is given where those live (`files_base`), and is dropped otherwise.
"""

from __future__ import annotations

import html
import re
import unicodedata
from contextvars import ContextVar
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from camp.formats.embedded_files import PLUGINFILE, referenced_name, url_path

TEXT_FORMATS = ("markdown", "html", "moodle", "plain")

_LETTER_OR_DIGIT = {"Lu", "Ll", "Lt", "Lm", "Lo", "Nd"}
_HEADINGS = {f"h{n}" for n in range(1, 7)}
_TOC_HEADINGS = {"h2", "h3"}
_TAGS = {
    *_HEADINGS,
    *("p", "br", "hr", "blockquote", "pre", "code", "em", "strong", "b", "i", "u", "s", "del"),
    *("sup", "sub", "small", "mark", "kbd", "span", "div"),
    *("ul", "ol", "li", "dl", "dt", "dd"),
    *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"),
    *("a", "img"),
}
_ATTRIBUTES = {
    **{tag: {"id"} for tag in _HEADINGS},
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
# Alignment survives as the `align` attribute because `style` is never allowed.
_ALIGN = {"align": {"left", "center", "right"}}
# Dropped together with their content, not just unwrapped.
_CLEAN_CONTENT_TAGS = {
    *("script", "style", "iframe", "frame", "frameset", "object", "embed", "applet"),
    *("noscript", "noembed", "noframes", "template", "svg", "math", "title", "textarea"),
    *("select", "xmp", "plaintext"),
}

_DIMENSION = re.compile(r"[1-9][0-9]{0,3}")  # pixels, as <img width> takes them
# Where this render's `@@PLUGINFILE@@/` references point (None: nowhere, they are dropped).
_files_base: ContextVar[str | None] = ContextVar("files_base", default=None)


def _local(url: str) -> bool:
    """A URL on this site: a path, with neither a scheme nor a host."""
    url = url.strip()
    if "\\" in url or url.startswith("//") or any(ord(c) < 32 for c in url):
        return False
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


def _attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3's filter of each kept attribute (URLs have passed the scheme list): None drops it."""
    if attribute in ("src", "href") and value.startswith(PLUGINFILE):
        base = _files_base.get()
        name = referenced_name(value[len(PLUGINFILE) :])
        return base + url_path(name) if base is not None and name is not None else None
    if element != "img":
        return value
    if attribute == "src":
        return value if _local(value) else None
    if attribute in ("width", "height"):
        return value if _DIMENSION.fullmatch(value.strip()) else None
    return value


_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags=_CLEAN_CONTENT_TAGS,
    attributes=_ATTRIBUTES,
    tag_attribute_values={"th": _ALIGN, "td": _ALIGN},
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
    strip_comments=True,
    attribute_filter=_attribute,
)

_MD = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

_BLOCK_HTML = re.compile(
    r"<\s*/?\s*(p|div|br|hr|h[1-6]|ul|ol|li|dl|dt|dd|table|thead|tbody|tr|th|td|"
    r"blockquote|pre)\b",
    re.IGNORECASE,
)
_INLINE_TAGS = {"a", "em", "strong", "b", "i", "u", "s", "del", "code", "sup", "sub", "small"}
_INLINE_TAGS |= {"mark", "kbd", "span"}
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")
_TEXT_ALIGN = re.compile(r"^text-align:\s*(left|center|right)$")


@dataclass(frozen=True)
class TocEntry:
    """One h2/h3 heading of a rendered document."""

    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class RenderedMarkdown:
    """Sanitised HTML of a Markdown document and its table of contents."""

    html: str
    toc: list[TocEntry] = field(default_factory=list)


def heading_anchor(text: str) -> str:
    """Return the anchor for a heading: "Kinds of IP & their terms" -> "kinds-of-ip-their-terms".

    Lowercase; keep letters, digits, spaces and hyphens; spaces become hyphens; runs of
    hyphens collapse to one; leading and trailing hyphens go. May return "".
    """
    kept = []
    for char in text.lower():
        if char.isspace():
            kept.append("-")
        elif char == "-" or unicodedata.category(char) in _LETTER_OR_DIGIT:
            kept.append(char)
    return re.sub(r"-{2,}", "-", "".join(kept)).strip("-")


class _AnchorAllocator:
    """Hands out unique anchors within one document: "terms", "terms-2", "terms-3"."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def allocate(self, text: str) -> str:
        base = heading_anchor(text) or "section"
        anchor, n = base, 1
        while anchor in self._used:
            n += 1
            anchor = f"{base}-{n}"
        self._used.add(anchor)
        return anchor


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _render(text: str, *, anchors: bool) -> RenderedMarkdown:
    env: dict[str, object] = {}
    tokens = _MD.parse(text, env)
    toc: list[TocEntry] = []
    allocator = _AnchorAllocator()
    for index, token in enumerate(tokens):
        if token.type in ("th_open", "td_open"):
            style = str(token.attrGet("style") or "")
            token.attrs.pop("style", None)
            if match := _TEXT_ALIGN.match(style):
                token.attrSet("align", match.group(1))
        elif anchors and token.type == "heading_open" and token.tag in _TOC_HEADINGS:
            heading = _inline_text(tokens[index + 1])
            anchor = allocator.allocate(heading)
            token.attrSet("id", anchor)
            toc.append(TocEntry(level=int(token.tag[1]), text=heading, anchor=anchor))
    raw = _MD.renderer.render(tokens, _MD.options, env)
    return RenderedMarkdown(html=_CLEANER.clean(raw), toc=toc)


def render_markdown(text: str) -> RenderedMarkdown:
    """Render Markdown (CommonMark, tables, strikethrough) to sanitised HTML with h2/h3 ids.

    Raw HTML in the Markdown is escaped, not interpreted.
    """
    return _render(text, anchors=True)


def sanitise_html(html_text: str) -> str:
    """Reduce organiser-written HTML to the prose allow-list (no scripts, styles or handlers)."""
    return _CLEANER.clean(html_text)


def _moodle_to_html(text: str) -> str:
    if _BLOCK_HTML.search(text):
        return text
    paragraphs = [p.strip() for p in _BLANK_LINES.split(text.strip())]
    return "\n".join(
        "<p>" + "<br>\n".join(line.strip() for line in p.split("\n")) + "</p>"
        for p in paragraphs
        if p
    )


def _plain_to_html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>\n")


def render_text(text: str, text_format: str, files_base: str | None = None) -> str:
    """Render question or feedback text stored in `text_format` to safe HTML.

    Formats are those of GIFT: "markdown", "html", "moodle" and "plain"; anything else is
    treated as plain text. `files_base` is the URL that `@@PLUGINFILE@@/<name>` references
    become, followed by the name (None: they are dropped).
    """
    token = _files_base.set(files_base)
    try:
        return _render_text(text, text_format)
    finally:
        _files_base.reset(token)


def _render_text(text: str, text_format: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text_format == "markdown":
        return _render(text, anchors=False).html
    if text_format == "html":
        return sanitise_html(text)
    if text_format == "moodle":
        return sanitise_html(_moodle_to_html(text))
    return _plain_to_html(text)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _INLINE_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _INLINE_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def strip_to_text(text: str, text_format: str) -> str:
    """Return the text content of `text` as one line of plain text (for CSV and search)."""
    if text_format not in ("markdown", "html", "moodle"):
        return " ".join(text.split())
    extractor = _TextExtractor()
    extractor.feed(render_text(text, text_format))
    extractor.close()
    return " ".join("".join(extractor.parts).split())
