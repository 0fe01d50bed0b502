"""What the GIFT reader gives and the writer takes: `GiftQuestion`, and the text formats
GIFT names in `[brackets]`. Shared by `gift_lexer`, `gift` and `gift_writer`, so that none
of them imports another for its data (they once formed an import cycle)."""

from __future__ import annotations

from dataclasses import dataclass, field

FORMATS = ("moodle", "html", "markdown", "plain")


@dataclass
class GiftQuestion:
    """One question: `line` is its first non-comment line; `spec` is the registry's spec.
    `extras` (see camp.bank.extras) has no GIFT syntax: always empty when read, and not
    written."""

    line: int
    type: str
    text: str
    text_format: str = "moodle"
    title: str = ""
    id: str | None = None
    tags: list[str] = field(default_factory=list)
    category: str | None = None
    spec: dict = field(default_factory=dict)
    general_feedback: str = ""
    extras: dict = field(default_factory=dict)
