"""Tallies of a live item's answers, for its results (camp.live.results): a count per option
in the order shown, the most common typed answers, the words of open answers. Pure code:
no request, no database; the answers come in grouped by the database, each different
response once with how many gave it and how many of them were right.

- Options (choice, true/false, polls): in the order the room saw them (the item's
  `option_order`, with the letters phones showed), the right ones marked from the type's
  `breakdown` (a poll has none).
- Typed answers (numerical, short answer, ordering): grouped as the type compares them (a
  number by its value, so 3,5 and 3.5 are one; a short answer without case or extra
  spaces unless its type minds case; an ordering by its steps), each shown as most people
  typed it (the earliest of equals); the ten most common, then by text.
- Words (open questions): a word is a run of letters or digits (an apostrophe inside
  kept: "don't"); a run of Chinese characters or Japanese kana, written without spaces,
  is one word as a whole (splitting it needs a dictionary). Each word counts once per
  answer, case folded, and a few common English words (the, and...) are left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from camp.bank.question_types import get_type
from camp.bank.types.base import parse_number, show_number, squash
from camp.bank.version_cache import VersionData
from camp.formats.markdown import strip_to_text
from camp.live.item_views import describe_answer
from camp.live.models import LiveItem
from camp.live.plan import option_value

TOP_ANSWERS, TOP_WORDS = 10, 20
# Chinese characters and Japanese kana (the scripts written without spaces).
_CJK = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_WORD = rf"[^\W_{_CJK}]+"
_TOKEN = re.compile(rf"[{_CJK}]+|{_WORD}(?:'{_WORD})*")
# Words too common to tell answers apart.
_COMMON = (
    "a an and are as at be but by for from has have i in is it its of on or so that the this "
    "to was we were with you"
)
STOP_WORDS = frozenset(_COMMON.split())
# One different response to an item: (the response, how many gave it, how many were right).
Group = tuple[dict[str, Any], int, int]


@dataclass(frozen=True)
class OptionCount:
    letter: str  # as phones showed it (A, B...)
    text: str
    count: int
    correct: bool | None  # None: a poll's option (no right answer)


@dataclass(frozen=True)
class AnswerCount:
    text: str
    count: int
    right: int  # of them, how many earned full marks

    @property
    def correct(self) -> bool:
        return self.count > 0 and self.right == self.count


@dataclass(frozen=True)
class WordCount:
    word: str
    count: int  # answers using it


def word_counts(answers: Iterable[str], top: int = TOP_WORDS) -> tuple[WordCount, ...]:
    """The words most answers use, each counted once per answer, case folded, curly
    apostrophes read as straight ones, common English words left out; equals by word."""
    counts: Counter[str] = Counter()
    for answer in answers:
        text = answer.casefold().replace("\u2019", "'")
        counts.update({w for w in _TOKEN.findall(text) if w not in STOP_WORDS})
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return tuple(WordCount(word, n) for word, n in ranked[:top])


def _chosen(response: dict[str, Any]) -> list[int]:
    selected = response.get("selected")
    chosen = selected if isinstance(selected, list) else [selected]
    return [i for i in chosen if isinstance(i, int) and not isinstance(i, bool)]


def poll_options(item: LiveItem, groups: list[Group]) -> tuple[OptionCount, ...]:
    """A poll's options as listed (polls are not shuffled)."""
    options = item.options or []
    counts = [0] * len(options)
    for response, n, _right in groups:
        for index in set(_chosen(response)):
            if 0 <= index < len(options):
                counts[index] += n
    return tuple(
        OptionCount(option_value(place), text, counts[place], None)
        for place, text in enumerate(options)
    )


def bank_options(
    item: LiveItem, version: VersionData, groups: list[Group]
) -> tuple[OptionCount, ...]:
    """The type's breakdown rows in the order shown: shuffled by `option_order` when the
    rows are the shuffled options (choice), else as listed (true/false)."""
    kind, spec = get_type(version.type), version.spec
    rows = kind.breakdown(spec)
    counts = [0] * len(rows)
    for response, n, _right in groups:
        for index in set(kind.picked(spec, response)):
            if 0 <= index < len(rows):
                counts[index] += n
    order: Sequence[int] = range(len(rows))
    if item.option_order and len(item.option_order) == len(rows):
        order = item.option_order
    return tuple(
        OptionCount(
            option_value(place),
            strip_to_text(rows[index].text, version.text_format),
            counts[index],
            rows[index].correct,
        )
        for place, index in enumerate(order)
    )


def top_answers(
    item: LiveItem, version: VersionData, groups: list[Group]
) -> tuple[tuple[AnswerCount, ...], int]:
    """The most common answers (the type's way of comparing them), and how many answers
    are left out."""
    merged: dict[str, list[Any]] = {}  # key -> [count, right, {shown: count}]
    for response, n, right in groups:
        key, shown = _compared(item, version, response)
        entry = merged.setdefault(key, [0, 0, Counter()])
        entry[0] += n
        entry[1] += right
        entry[2][shown] += n  # a Counter keeps the first seen first among equals
    answers = [
        AnswerCount(forms.most_common(1)[0][0], n, right) for n, right, forms in merged.values()
    ]
    answers.sort(key=lambda a: (-a.count, a.text))
    top = tuple(answers[:TOP_ANSWERS])
    return top, sum(a.count for a in answers[TOP_ANSWERS:])


def _compared(item: LiveItem, version: VersionData, response: dict[str, Any]) -> tuple[str, str]:
    """(what two answers are compared by, the answer as shown)."""
    typed = response.get("text")
    if version.type == "numerical" and isinstance(typed, str):
        value = parse_number(typed)
        if value is not None:
            return f"number:{value!r}", show_number(value)
        return f"text:{squash(typed).casefold()}", squash(typed)
    if version.type == "short_answer" and isinstance(typed, str):
        shown = squash(typed)
        minds_case = getattr(get_type(version.type), "case_sensitive", False)
        return f"text:{shown if minds_case else shown.casefold()}", shown
    shown = describe_answer(item, version, response)
    return f"text:{shown}", shown
