"""Reading an untrusted XML file into a small tree whose every element knows its line, and
telling a Moodle XML file from a GIFT one.

Safety comes before parsing: a file over `MAX_BYTES` is refused unread, one that is not
UTF-8 (or declares another encoding) is refused at the line of its first bad byte, and the
parser is defusedxml's hardened expat (SAX): a document type declaration (`<!DOCTYPE`, and
with it every entity definition, so no "billion laughs" and no external entity) is refused
at its line, and so is nesting deeper than `MAX_DEPTH`. Lines are expat's, recorded at each
start tag through the SAX locator.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, Locator

from defusedxml import (  # type: ignore[import-untyped]
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from defusedxml.expatreader import DefusedExpatParser  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]

from camp.formats.moodle_xml_question import MoodleXmlError, MoodleXmlIssue

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 20  # Moodle XML nests six deep (quiz/question/answer/feedback/text); HTML is text
_BOM = b"\xef\xbb\xbf"
_DECLARED = re.compile(rb"\A\s*<\?xml[^>]*?\bencoding\s*=\s*[\"']([^\"']*)[\"']")
_LEADING = re.compile(r"\A(?:\s+|<!--.*?-->)*", re.DOTALL)  # whitespace and comments
_XML_START = re.compile(r"<\?xml[\s?]|<!DOCTYPE[\s>]|<quiz[\s>/]")


@dataclass(eq=False)
class Element:
    """One element: its tag, attributes, line, children, and the text directly inside it."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Element] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def first(self, tag: str) -> Element | None:
        return next((child for child in self.children if child.tag == tag), None)

    def every(self, tag: str) -> list[Element]:
        return [child for child in self.children if child.tag == tag]


class _Stop(Exception):
    """Parsing stops here: `issue` says why."""

    def __init__(self, issue: MoodleXmlIssue) -> None:
        super().__init__(issue.message)
        self.issue = issue


class _Builder(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.locator: Locator | None = None
        self.root: Element | None = None
        self.stack: list[Element] = []

    def line(self) -> int:
        return (self.locator.getLineNumber() if self.locator is not None else None) or 1

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        if len(self.stack) >= MAX_DEPTH:
            message = _l("elements are nested more than %(n)s deep", n=MAX_DEPTH)
            raise _Stop(MoodleXmlIssue(self.line(), message))
        element = Element(name, dict(attrs.items()), self.line())
        if self.stack:
            self.stack[-1].children.append(element)
        else:
            self.root = element
        self.stack.append(element)

    def endElement(self, name: str) -> None:
        self.stack.pop()

    def characters(self, content: str) -> None:
        if self.stack:
            self.stack[-1].parts.append(content)


def _line_at(raw: bytes, offset: int) -> int:
    head = raw[:offset]
    return head.count(b"\n") + head.replace(b"\r\n", b"\n").count(b"\r") + 1


def _checked_bytes(source: str | bytes) -> bytes:
    """The file's bytes if they may be parsed; `MoodleXmlError` otherwise."""
    raw = source.encode("utf-8") if isinstance(source, str) else bytes(source)
    if len(raw) > MAX_BYTES:
        message = _l(
            "the file has %(size)s bytes; Camp reads Moodle XML files of up to 2 MB "
            "(%(most)s bytes): split it, or export fewer categories at a time",
            size=f"{len(raw):,}",
            most=f"{MAX_BYTES:,}",
        )
        raise MoodleXmlError([MoodleXmlIssue(1, message)])
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = _line_at(raw, error.start)
        raise MoodleXmlError(
            [MoodleXmlIssue(line, _l("the file is not UTF-8 text; save it as UTF-8"))]
        ) from None
    declared = _DECLARED.match(raw.removeprefix(_BOM))
    if declared and declared.group(1).decode("ascii", "replace").lower() not in ("utf-8", "utf8"):
        message = _l(
            "the file declares the encoding %(encoding)s; save it as UTF-8 and declare "
            'encoding="UTF-8"',
            encoding=repr(declared.group(1).decode("ascii", "replace")),
        )
        raise MoodleXmlError([MoodleXmlIssue(1, message)])
    return raw


def _refused(error: Exception) -> str:
    if isinstance(error, DTDForbidden):
        return _l(
            "the file declares a document type (<!DOCTYPE ...>); Moodle XML has none, and "
            "Camp reads no DTD, entity or external reference: remove it"
        )
    if isinstance(error, ExternalReferenceForbidden):
        return _l("the file refers to an external entity; Camp reads none: remove it")
    return _l("the file defines an entity; Camp reads none: remove it")


def parse_tree(source: str | bytes) -> Element:
    """The root element of an XML file, or `MoodleXmlError` saying why it cannot be read."""
    raw = _checked_bytes(source)
    builder = _Builder()
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(builder)
    try:
        parser.parse(io.BytesIO(raw))
    except _Stop as stop:
        raise MoodleXmlError([stop.issue]) from None
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as error:
        raise MoodleXmlError([MoodleXmlIssue(builder.line(), _refused(error))]) from None
    except SAXParseException as error:
        reason = error.getMessage()
        message = _l("the file is not well-formed XML (%(reason)s)", reason=reason)
        raise MoodleXmlError([MoodleXmlIssue(error.getLineNumber() or 1, message)]) from None
    assert builder.root is not None  # expat refuses a document without an element
    return builder.root


def looks_like_moodle_xml(source: str | bytes) -> bool:
    """Whether a file is XML rather than GIFT: after a BOM, blank space and comments, it
    starts with an XML declaration, a document type or a `<quiz>` element. (A GIFT file
    never starts so.)"""
    head = source[:4096]
    text = head.decode("utf-8", "replace") if isinstance(head, bytes) else head
    text = _LEADING.sub("", text.removeprefix("\ufeff"), count=1)
    return _XML_START.match(text) is not None
