"""Lesson folders, front matter validation (messages with real line numbers) and discovery."""

from __future__ import annotations

from pathlib import Path

import pytest

from camp.formats.lesson_file import (
    ContentError,
    ContentProblem,
    FrontMatter,
    LessonFile,
    Objective,
    QuizSettings,
    discover_modules,
    module_position,
    module_slug,
    parse_lesson,
)

# Line numbers in the comments are the real file lines the tests assert on.
FRONT = """\
---
title: Why IP matters
summary: One or two sentences.
objectives:
  - tag: ip-value
    text: Explain with one example how IP creates value for a person, a firm and a nation.
  - tag: ip-kinds
    text: Name the main kinds of IP.
  - tag: ip-terms
    text: Give the term of protection of each kind.
minutes: 25
sources:
  - https://www.wipo.int/about-ip/en/
  - http://example.org/ip
quiz:
  title: Why IP matters — check your understanding
  questions: 10
  time_limit: 15
  attempts: 3
  pass_mark: 70
  shuffle: true
---
"""
# 1 ---, 2 title, 3 summary, 4 objectives, 5-10 items, 11 minutes, 12 sources, 13-14 urls,
# 15 quiz, 16 title, 17 questions, 18 time_limit, 19 attempts, 20 pass_mark, 21 shuffle, 22 ---
BODY = "\n# Why IP matters\n\nIdeas are **valuable**; see [WIPO](https://www.wipo.int).\n"


def write_module(root: Path, text: str, folder: str = "01-why-ip-matters") -> Path:
    module = root / folder
    module.mkdir(parents=True, exist_ok=True)
    (module / "lesson.md").write_text(text, encoding="utf-8")
    (module / "questions.gift").write_text("// [id:q1] [tag:ip-value]\nQ {T}\n", encoding="utf-8")
    return module / "lesson.md"


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        parse_lesson(path)
    assert all(problem.path == str(path) for problem in caught.value.problems)
    return [f"{problem.line}: {problem.message}" for problem in caught.value.problems]


def edit(old: str, new: str) -> str:
    assert old in FRONT
    return FRONT.replace(old, new, 1) + BODY


def test_happy_path(tmp_path: Path) -> None:
    path = write_module(tmp_path, FRONT + BODY)
    lesson = parse_lesson(path)
    assert isinstance(lesson, LessonFile)
    assert (lesson.slug, lesson.position, lesson.path) == ("why-ip-matters", 1, path)
    assert lesson.body == BODY
    assert lesson.body_start_line == 23
    assert lesson.front == FrontMatter(
        title="Why IP matters",
        summary="One or two sentences.",
        objectives=[
            Objective(
                "ip-value",
                "Explain with one example how IP creates value for a person, a firm and a nation.",
            ),
            Objective("ip-kinds", "Name the main kinds of IP."),
            Objective("ip-terms", "Give the term of protection of each kind."),
        ],
        minutes=25,
        sources=["https://www.wipo.int/about-ip/en/", "http://example.org/ip"],
        quiz=QuizSettings(
            title="Why IP matters — check your understanding",
            questions=10,
            time_limit=15,
            attempts=3,
            pass_mark=70,
            shuffle=True,
        ),
    )
    assert lesson.word_count == 8  # "Why IP matters Ideas are valuable; see WIPO."


def test_parse_lesson_accepts_the_folder(tmp_path: Path) -> None:
    path = write_module(tmp_path, FRONT + BODY)
    assert parse_lesson(path.parent).path == path


def test_nulls_mean_no_limit(tmp_path: Path) -> None:
    text = edit("time_limit: 15", "time_limit: null").replace("attempts: 3", "attempts: ~")
    quiz = parse_lesson(write_module(tmp_path, text)).front.quiz
    assert (quiz.time_limit, quiz.attempts) == (None, None)


def test_plain_string_objectives(tmp_path: Path) -> None:
    text = edit(
        "  - tag: ip-kinds\n    text: Name the main kinds of IP.\n",
        "  - Name the kinds of IP & their terms\n"
        "  - Compare a patent, a trade mark, a copyright and a design in one table\n",
    )
    objectives = parse_lesson(write_module(tmp_path, text)).front.objectives
    assert [o.tag for o in objectives] == [
        "ip-value",
        "name-the-kinds-of-ip-their-terms",
        "compare-a-patent-a-trade-mark-a-copyrigh",
        "ip-terms",
    ]
    assert objectives[1].text == "Name the kinds of IP & their terms"


def test_derived_tag_does_not_end_in_a_hyphen(tmp_path: Path) -> None:
    text = edit(
        "  - tag: ip-kinds\n    text: Name the main kinds of IP.\n",
        "  - Explain the difference between a patent and a design\n",
    )
    objectives = parse_lesson(write_module(tmp_path, text)).front.objectives
    assert objectives[1].tag == "explain-the-difference-between-a-patent"


def test_plain_string_objective_without_a_usable_tag(tmp_path: Path) -> None:
    text = edit("  - tag: ip-kinds\n    text: Name the main kinds of IP.\n", "  - '???'\n")
    assert problems_of(write_module(tmp_path, text)) == [
        "7: objective 2: cannot make a tag from '???'; give it as 'tag:' and 'text:'"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "minutes: 25",
            "minuts: 25",
            [
                "1: missing required key 'minutes'",
                "11: unknown key 'minuts' (did you mean 'minutes'?)",
            ],
        ),
        ("minutes: 25", "minutes: 25\ncolour: red", ["12: unknown key 'colour'"]),
        ("minutes: 25", "minutes: 25\nminutes: 30", ["12: duplicate key 'minutes'"]),
        ("title: Why IP matters\n", "", ["1: missing required key 'title'"]),
        ("title: Why IP matters", "title: ''", ["2: title must be non-empty text"]),
        (
            "title: Why IP matters",
            "title: " + "x" * 201,
            ["2: title is 201 characters long (at most 200)"],
        ),
        (
            "summary: One or two sentences.",
            "summary: [a, b]",
            ["3: summary must be non-empty text"],
        ),
        ("minutes: 25", "minutes: 0", ["11: minutes must be a whole number at least 1 (got 0)"]),
        (
            "minutes: 25",
            "minutes: 2.5",
            ["11: minutes must be a whole number at least 1 (got 2.5)"],
        ),
        (
            "minutes: 25",
            "minutes: true",
            ["11: minutes must be a whole number at least 1 (got True)"],
        ),
        (
            "objectives:",
            "objectives: many\nx:",
            ["4: objectives must be a list", "5: unknown key 'x'"],
        ),
        (
            "  - tag: ip-terms\n    text: Give the term of protection of each kind.\n",
            "",
            ["4: objectives must list 3 to 5 items (got 2)"],
        ),
        (
            "    text: Name the main kinds of IP.\n",
            "",
            ["7: missing required key 'text' in objective 2"],
        ),
        (
            "    text: Name the main kinds of IP.\n",
            "    text: Name the main kinds of IP.\n    txet: x\n",
            ["9: unknown key 'txet' in objective 2 (did you mean 'text'?)"],
        ),
        (
            "tag: ip-kinds",
            "tag: IP Kinds",
            [
                "7: objective 2 tag must be lowercase letters, digits and hyphens, "
                "at most 40 characters (got 'IP Kinds')"
            ],
        ),
        (
            "tag: ip-kinds",
            "tag: " + "a" * 41,
            [
                f"7: objective 2 tag must be lowercase letters, digits and hyphens, "
                f"at most 40 characters (got '{'a' * 41}')"
            ],
        ),
        ("tag: ip-kinds", "tag: ip-value", ["7: objective 2: duplicate tag 'ip-value'"]),
        (
            "    text: Name the main kinds of IP.",
            "    text: ''",
            ["8: objective 2 text must be non-empty text"],
        ),
        (
            "  - tag: ip-kinds\n    text: Name the main kinds of IP.",
            "  - 42",
            ["7: objective 2 must be non-empty text"],
        ),
        (
            "sources:\n  - https://www.wipo.int/about-ip/en/\n  - http://example.org/ip",
            "sources: []",
            ["12: sources must be a non-empty list of http(s) URLs"],
        ),
        (
            "sources:\n  - https://www.wipo.int/about-ip/en/\n  - http://example.org/ip",
            "sources: https://www.wipo.int",
            ["12: sources must be a non-empty list of http(s) URLs"],
        ),
        (
            "  - http://example.org/ip",
            "  - ftp://example.org/ip\n  - www.wipo.int",
            [
                "14: source 2 is not an http(s) URL: 'ftp://example.org/ip'",
                "15: source 3 is not an http(s) URL: 'www.wipo.int'",
            ],
        ),
        ("quiz:", "quiz: yes\nx:", ["15: quiz must be a mapping of keys", "16: unknown key 'x'"]),
        ("  pass_mark: 70\n", "", ["15: missing required key 'pass_mark' in quiz"]),
        (
            "  pass_mark: 70",
            "  passmark: 70",
            [
                "15: missing required key 'pass_mark' in quiz",
                "20: unknown key 'passmark' in quiz (did you mean 'pass_mark'?)",
            ],
        ),
        (
            "  title: Why IP matters — check your understanding",
            "  title:",
            ["16: quiz title must be non-empty text"],
        ),
        (
            "questions: 10",
            "questions: 0",
            ["17: quiz questions must be a whole number at least 1 (got 0)"],
        ),
        (
            "time_limit: 15",
            "time_limit: 0",
            [
                "18: quiz time_limit must be a whole number at least 1, "
                "or null for no time limit (got 0)"
            ],
        ),
        (
            "attempts: 3",
            "attempts: three",
            [
                "19: quiz attempts must be a whole number at least 1, "
                "or null for unlimited attempts (got 'three')"
            ],
        ),
        (
            "pass_mark: 70",
            "pass_mark: 101",
            ["20: quiz pass_mark must be a whole number from 0 to 100 (got 101)"],
        ),
        (
            "pass_mark: 70",
            "pass_mark: -1",
            ["20: quiz pass_mark must be a whole number from 0 to 100 (got -1)"],
        ),
        ("shuffle: true", "shuffle: 1", ["21: quiz shuffle must be true or false (got 1)"]),
    ],
)
def test_each_validation_message(tmp_path: Path, old: str, new: str, expected: list[str]) -> None:
    assert problems_of(write_module(tmp_path, edit(old, new))) == expected


def test_every_problem_is_collected(tmp_path: Path) -> None:
    text = (
        edit("minutes: 25", "minuts: 25")
        .replace("pass_mark: 70", "pass_mark: 170")
        .replace("tag: ip-kinds", "tag: Kinds")
    )
    problems = problems_of(write_module(tmp_path, text))
    assert [p.split(":")[0] for p in problems] == ["1", "7", "11", "20"]


def test_yaml_syntax_error_uses_the_yaml_mark(tmp_path: Path) -> None:
    (problem,) = problems_of(write_module(tmp_path, edit("minutes: 25", "minutes: [25")))
    assert problem.startswith("12: invalid YAML: ")


def test_yaml_tab_error(tmp_path: Path) -> None:
    (problem,) = problems_of(write_module(tmp_path, edit("summary: One", "summary:\tOne\n\t- x")))
    assert problem.startswith(("3: invalid YAML", "4: invalid YAML"))


def test_unsafe_yaml_tag_is_a_problem(tmp_path: Path) -> None:
    text = edit("minutes: 25", "minutes: !!python/object:os.system 25")
    assert problems_of(write_module(tmp_path, text))[0].startswith("11: invalid YAML")


def test_missing_front_matter(tmp_path: Path) -> None:
    path = write_module(tmp_path, "# Just a body\n")
    assert problems_of(path) == ["1: missing front matter: the file must start with '---'"]


def test_unclosed_front_matter(tmp_path: Path) -> None:
    path = write_module(tmp_path, FRONT.removesuffix("---\n") + BODY)
    assert problems_of(path) == ["1: unclosed front matter: no closing '---' line"]


def test_empty_front_matter(tmp_path: Path) -> None:
    assert problems_of(write_module(tmp_path, "---\n---\n" + BODY)) == ["1: front matter is empty"]


def test_front_matter_that_is_not_a_mapping(tmp_path: Path) -> None:
    problems = problems_of(write_module(tmp_path, "---\n- a\n- b\n---\n" + BODY))
    assert problems == ["2: front matter must be a mapping of keys"]


@pytest.mark.parametrize("body", ["", "\n  \n\n"])
def test_empty_body(tmp_path: Path, body: str) -> None:
    assert problems_of(write_module(tmp_path, FRONT + body)) == ["22: the lesson body is empty"]


def test_body_problems_and_front_matter_problems_together(tmp_path: Path) -> None:
    problems = problems_of(write_module(tmp_path, FRONT.replace("minutes: 25", "minutes: x")))
    assert problems == [
        "11: minutes must be a whole number at least 1 (got 'x')",
        "22: the lesson body is empty",
    ]


def test_windows_line_endings_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "02-crlf" / "lesson.md"
    path.parent.mkdir()
    path.write_bytes(("\ufeff" + FRONT + BODY).replace("\n", "\r\n").encode("utf-8"))
    lesson = parse_lesson(path)
    assert (lesson.position, lesson.body_start_line) == (2, 23)


def test_bad_folder_name_and_missing_file(tmp_path: Path) -> None:
    path = write_module(tmp_path, FRONT + BODY, folder="1-Why")
    assert problems_of(path) == [
        "0: folder name '1-Why' must be two digits, a hyphen and a lowercase slug "
        "(like '01-why-ip-matters')"
    ]
    missing = tmp_path / "01-gone" / "lesson.md"
    assert problems_of(missing) == ["0: file not found"]


def test_not_utf8(tmp_path: Path) -> None:
    path = write_module(tmp_path, "")
    path.write_bytes(b"---\ntitle: \xff\n---\n")
    (problem,) = problems_of(path)
    assert problem.startswith("0: unreadable: ")


def test_problem_formatting() -> None:
    assert str(ContentProblem("a/lesson.md", 3, "bad")) == "a/lesson.md:3: bad"
    assert str(ContentProblem("a", 0, "missing lesson.md")) == "a: missing lesson.md"
    error = ContentError([ContentProblem("x", 1, "one"), ContentProblem("x", 2, "two")])
    assert str(error) == "x:1: one\nx:2: two"


@pytest.mark.parametrize(
    ("folder", "slug", "position"),
    [("01-why-ip-matters", "why-ip-matters", 1), ("12-tm", "tm", 12), ("00-a1-b2", "a1-b2", 0)],
)
def test_module_slug_and_position(folder: str, slug: str, position: int) -> None:
    assert module_slug(folder) == slug
    assert module_position(folder) == position


@pytest.mark.parametrize(
    "folder", ["1-why", "01_why", "01-Why", "01-why-", "01--why", "001-x", "01-"]
)
def test_bad_folder_names(folder: str) -> None:
    with pytest.raises(ValueError, match="does not look like"):
        module_slug(folder)
    with pytest.raises(ValueError, match="does not look like"):
        module_position(folder)


def test_discover_orders_by_position(tmp_path: Path) -> None:
    for folder in ("10-last", "02-second", "01-first"):
        write_module(tmp_path, FRONT + BODY, folder=folder)
    (tmp_path / "README.md").write_text("content notes", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    assert [p.name for p in discover_modules(tmp_path)] == ["01-first", "02-second", "10-last"]


def test_discover_empty_root(tmp_path: Path) -> None:
    assert discover_modules(tmp_path) == []


def test_discover_reports_every_problem(tmp_path: Path) -> None:
    write_module(tmp_path, FRONT + BODY, folder="01-first")
    write_module(tmp_path, FRONT + BODY, folder="01-again")
    write_module(tmp_path, FRONT + BODY, folder="03-first")
    (tmp_path / "Notes").mkdir()
    (tmp_path / "04-no-lesson").mkdir()
    (tmp_path / "04-no-lesson" / "questions.gift").write_text("", encoding="utf-8")
    (tmp_path / "05-empty").mkdir()
    with pytest.raises(ContentError) as caught:
        discover_modules(tmp_path)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{tmp_path / '01-first'}: position 01 is also used by 01-again",
        f"{tmp_path / '03-first'}: slug 'first' is also used by 01-first",
        f"{tmp_path / '04-no-lesson'}: missing lesson.md",
        f"{tmp_path / '05-empty'}: missing lesson.md",
        f"{tmp_path / '05-empty'}: missing questions.gift",
        f"{tmp_path / 'Notes'}: folder name 'Notes' must be two digits, a hyphen and a "
        "lowercase slug (like '01-why-ip-matters')",
    ]


def test_discover_missing_root(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="content folder not found"):
        discover_modules(tmp_path / "nope")


GLOSSARY = """\
glossary:
  - en: Patent Cooperation Treaty (PCT)
    zh: 《专利合作条约》
  - en: trademark
    zh: 商标
"""


def test_a_glossary_is_optional_and_read_in_order(tmp_path):
    plain = parse_lesson(write_module(tmp_path, FRONT + BODY).parent)
    assert plain.front.glossary == []
    text = FRONT.replace("minutes: 25\n", "minutes: 25\n" + GLOSSARY)
    lesson = parse_lesson(write_module(tmp_path, text + BODY, "02-with-glossary").parent)
    assert [(g.en, g.zh) for g in lesson.front.glossary] == [
        ("Patent Cooperation Treaty (PCT)", "《专利合作条约》"),
        ("trademark", "商标"),
    ]


@pytest.mark.parametrize(
    ("entry", "line", "message"),
    [
        ("  - en: trademark\n", 13, "missing required key 'zh' in glossary entry 1"),
        ("  - en: trademark\n    zh: ''\n", 14, "glossary entry 1 zh must be non-empty text"),
        ("  - en: trademark\n    zh: 商标\n    fr: marque\n", 15, "unknown key 'fr'"),
        ("  - trademark\n", 13, "glossary entry 1 must be a mapping"),
    ],
)
def test_a_broken_glossary_entry_is_reported_with_its_line(tmp_path, entry, line, message):
    # 11 minutes, 12 glossary, 13 the entry
    text = FRONT.replace("minutes: 25\n", "minutes: 25\nglossary:\n" + entry)
    found = problems_of(write_module(tmp_path, text + BODY))
    assert any(p.startswith(f"{line}: ") and message in p for p in found), found
