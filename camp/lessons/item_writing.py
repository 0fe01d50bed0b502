"""Item-writing checks: the cues in a question that give its answer away to a test-wise
student who has not learned the material.

`cue_warnings` looks at one question: a single-answer key much longer than every distractor,
a negative stem (not, except, least, n't) without emphasis, "all/none of the above", a stem
word that only the key repeats (compared after Snowball stemming, so "trains" matches
"Training"), and a choice question with fewer than three options. `module_cues` adds the
module-wide cue: how often a single-answer key is the longest option, and how often the
shortest (an author who avoids long keys can teach the reverse rule). By chance each is
about one in four; `STRICT_KEY_LONGEST_SHARE` is the most `camp content check --strict`
accepts of either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import snowballstemmer  # type: ignore[import-untyped]

from camp.formats.gift_question import GiftQuestion
from camp.formats.lesson_file import QUESTIONS_FILE, ContentProblem
from camp.formats.markdown import render_text, strip_to_text
from camp.lessons.content import ModuleContent

LONG_KEY_FACTOR = 1.5
MIN_OPTIONS = 3
STRICT_KEY_LONGEST_SHARE = 0.30
CHOICE_TYPES = ("single_choice", "multiple_choice")

NEGATIVE = re.compile(r"\b(?:not|except|least)\b|\b\w+n['\u2019]t\b", re.IGNORECASE)
ABOVE = re.compile(r"\b(?:all|none)\s+of\s+the\s+above\b", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]{4,}")
EMPHASIS_TAGS = frozenset({"strong", "b", "em", "i", "u", "mark"})
# Words of four letters or more that carry no content, so echoing them is no cue.
_FUNCTION_WORD_LIST = """
    about above after again also among been before being below between both cannot could
    does doing done down during each either from have having here into just least less like
    made make many more most much must neither only other over same should some such than
    that their them then there these they this those through under until upon very were
    what when where which while whom whose will with within without would your true false
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORD_LIST.split())

_stemmer = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class ModuleCues:
    """A module's item-writing warnings and how often its single-answer key is longest."""

    name: str
    warnings: list[ContentProblem]
    single_answer: int
    key_longest: int
    key_shortest: int

    def _share(self, count: int) -> float:
        return count / self.single_answer if self.single_answer else 0.0

    @property
    def too_often_longest(self) -> bool:
        """The key is the longest (or, the cue reversed, the shortest) option too often."""
        shares = (self._share(self.key_longest), self._share(self.key_shortest))
        return max(shares) > STRICT_KEY_LONGEST_SHARE

    def summary(self) -> str:
        line = (
            f"{self.name}: the key is the longest option in {self.key_longest} of "
            f"{self.single_answer} single-answer questions "
            f"({round(self._share(self.key_longest) * 100)} %) and the shortest in "
            f"{self.key_shortest} ({round(self._share(self.key_shortest) * 100)} %)"
        )
        if self.too_often_longest:
            line += f", more than {round(STRICT_KEY_LONGEST_SHARE * 100)} %"
        return line


class _EmphasisReader(HTMLParser):
    """Collects the text of rendered HTML, each run marked emphasised or not."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.runs: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in EMPHASIS_TAGS:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in EMPHASIS_TAGS and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        self.runs.append((data, self.depth > 0))


def _unemphasised_negatives(question: GiftQuestion) -> list[str]:
    reader = _EmphasisReader()
    reader.feed(render_text(question.text, question.text_format))
    reader.close()
    found = []
    for text, emphasised in reader.runs:
        for match in NEGATIVE.finditer(text):
            word = match.group(0)
            if not emphasised and not word.isupper():
                found.append(word)
    return found


def _options(question: GiftQuestion) -> list[dict[str, Any]]:
    if question.type not in CHOICE_TYPES:
        return []
    return [o for o in question.spec.get("options", []) if isinstance(o, dict)]


def _plain(question: GiftQuestion, text: object) -> str:
    return strip_to_text(str(text), question.text_format)


def _key_and_distractors(question: GiftQuestion) -> tuple[str, list[str]] | None:
    options = _options(question)
    if question.type != "single_choice" or len(options) < 2:
        return None
    best = max(float(o.get("weight", 0)) for o in options)
    keys = [o for o in options if float(o.get("weight", 0)) == best]
    others = [o for o in options if float(o.get("weight", 0)) < best]
    if len(keys) != 1 or not others:
        return None
    return _plain(question, keys[0]["text"]), [_plain(question, o["text"]) for o in others]


def key_is_longest(question: GiftQuestion) -> bool | None:
    """Whether a single-answer key is strictly longer than every distractor (None: n/a)."""
    split = _key_and_distractors(question)
    if split is None:
        return None
    key, distractors = split
    return len(key) > max(len(d) for d in distractors)


def key_is_shortest(question: GiftQuestion) -> bool | None:
    """Whether a single-answer key is strictly shorter than every distractor: the cue of
    an author who has learned to avoid the long key (None: not single-answer)."""
    split = _key_and_distractors(question)
    if split is None:
        return None
    key, distractors = split
    return len(key) < min(len(d) for d in distractors)


def _stems(text: str) -> dict[str, str]:
    """Each content word's stem, mapped to the word as first written."""
    words = [w for w in WORD.findall(text) if w.lower() not in FUNCTION_WORDS]
    stems = _stemmer.stemWords([w.lower() for w in words])
    found: dict[str, str] = {}
    for stem, word in zip(stems, words, strict=True):
        found.setdefault(stem, word)
    return found


def _echoed_by_key_only(question: GiftQuestion, key: str, distractors: list[str]) -> list[str]:
    """The stem's words whose stem the key repeats and no distractor does."""
    stem = _stems(_plain(question, question.text))
    in_distractors = set().union(*(_stems(d) for d in distractors))
    echoed = (stem.keys() & _stems(key).keys()) - in_distractors
    return sorted(stem[s] for s in echoed)


def cue_warnings(question: GiftQuestion) -> list[str]:
    """The answer cues in one question, each as a message naming what to change."""
    warnings: list[str] = []
    split = _key_and_distractors(question)
    if split is not None:
        key, distractors = split
        longest = max(len(d) for d in distractors)
        if len(key) > LONG_KEY_FACTOR * longest:
            warnings.append(
                f"the key ({len(key)} characters) is longer than {LONG_KEY_FACTOR} times the "
                f"longest distractor ({longest}): test-wise students pick the longest option"
            )
        for word in _echoed_by_key_only(question, key, distractors):
            warnings.append(
                f"the stem and only the key share the word “{word}”: it points to the answer"
            )
    negatives = _unemphasised_negatives(question)
    if negatives:
        warnings.append(
            f"negative stem (“{negatives[0]}”) without emphasis: write "
            f"<strong>{negatives[0]}</strong> or ask the question positively"
        )
    options = _options(question)
    if any(ABOVE.search(_plain(question, o.get("text", ""))) for o in options):
        warnings.append("an option is “all/none of the above”: write a real distractor")
    if question.type in CHOICE_TYPES and len(options) < MIN_OPTIONS:
        warnings.append(f"only {len(options)} options: write at least {MIN_OPTIONS}")
    return warnings


def module_cues(module: ModuleContent) -> ModuleCues:
    """Every cue warning in a module's bank, and its share of longest-option keys."""
    path = str(module.folder / QUESTIONS_FILE)
    warnings: list[ContentProblem] = []
    single = longest = shortest = 0
    for question in module.questions:
        where = f"{question.id}: " if question.id else ""
        for message in cue_warnings(question):
            warnings.append(ContentProblem(path, question.line, where + message))
        is_longest = key_is_longest(question)
        if is_longest is not None:
            single += 1
            longest += int(is_longest)
            shortest += int(bool(key_is_shortest(question)))
    return ModuleCues(module.folder.name, warnings, single, longest, shortest)
