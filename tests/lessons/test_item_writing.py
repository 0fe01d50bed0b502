"""Item-writing checks: `camp content check` warns about cues that give an answer away
(the longest option is the key, an unemphasised negative stem, "all of the above", a stem
word echoed only by the key, too few options), and `--strict` fails on any of them or on
a module whose keys are the longest option too often."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from camp.formats.gift import parse_gift
from camp.lessons.item_writing import cue_warnings, key_is_longest, key_is_shortest
from camp.paths import CONTENT_DIR


def question(gift: str):
    (parsed,) = parse_gift(gift)
    return parsed


def warnings_of(gift: str) -> list[str]:
    return cue_warnings(question(gift))


STEM = "A company wants to stop copies of the new shape of its kettle. Which right fits best?"
BALANCED = f"""::Q::{STEM}{{
=A registered industrial design
~A patent for an invention
~A trademark for the kettle's name
~Copyright in the user manual
}}"""


def test_a_balanced_question_has_no_warning():
    assert warnings_of(BALANCED) == []


def test_a_key_much_longer_than_every_distractor_is_a_cue():
    gift = """::Q::Why do breeders need protection for a new variety?{
=Because a released plant is cheap to copy while developing it takes many years of work
~Because seed rots
~Because of tax rules
~Because farmers ask
}"""
    (warning,) = warnings_of(gift)
    assert "longer than 1.5 times" in warning and "longest distractor" in warning
    assert key_is_longest(question(gift)) is True


def test_a_key_just_longer_than_the_distractors_is_no_warning_but_still_the_longest():
    gift = """::Q::Which office receives the application?{
=The national plant variety office
~The national patent office only
~The WIPO office in Beijing
}"""
    assert warnings_of(gift) == []
    assert key_is_longest(question(gift)) is True
    assert key_is_longest(question(BALANCED)) is False


def test_key_is_longest_is_only_asked_of_single_answer_questions():
    assert key_is_longest(question("::Q::Plants can be protected.{T}")) is None
    assert key_is_shortest(question("::Q::Plants can be protected.{T}")) is None


def test_a_key_shorter_than_every_distractor_is_the_shortest():
    gift = """::Q::Which office receives the application?{
=The plant variety office
~The national patent office only
~The WIPO office in Beijing, China
}"""
    assert key_is_shortest(question(gift)) is True
    assert key_is_shortest(question(BALANCED)) is False


@pytest.mark.parametrize(
    "stem",
    [
        "Which of these is not a condition for protection?",
        "All of these are conditions except which one?",
        "Which use is least likely to need permission?",
        "Which of these isn't a condition for protection?",
    ],
)
def test_a_negative_stem_without_emphasis_is_a_cue(stem):
    gift = BALANCED.replace(STEM, stem)
    (warning,) = warnings_of(gift)
    assert "negative" in warning


@pytest.mark.parametrize(
    "stem",
    [
        "Which of these is <strong>not</strong> a condition for protection?",
        "[markdown]Which of these is **not** a condition for protection?",
        "Which of these is NOT a condition for protection?",
        "Which of these is notable?",
    ],
)
def test_an_emphasised_negative_or_no_negative_is_fine(stem):
    gift = BALANCED.replace(STEM, stem)
    assert warnings_of(gift) == []


def test_true_false_statements_are_checked_for_negatives_too():
    (warning,) = warnings_of("::Q::True or false? A variety does not need to be new.{F}")
    assert "negative" in warning


@pytest.mark.parametrize("option", ["All of the above", "none of the above."])
def test_all_or_none_of_the_above_is_a_cue(option):
    gift = BALANCED.replace("Copyright in the user manual", option)
    (warning,) = warnings_of(gift)
    assert "of the above" in warning


def test_a_stem_word_echoed_only_by_the_key_is_a_cue_even_in_another_form():
    gift = """::Q::An AI company trains a model on scraped photographs. Which theme covers this?{
=Training data and copyright
~AI inventions and patent examination
~IP and the metaverse
~Technology in IP administration
}"""
    (warning,) = warnings_of(gift)
    assert "“trains”" in warning


def test_a_stem_word_shared_with_a_distractor_is_no_cue():
    gift = """::Q::An AI company trains a model on scraped photographs. Which theme covers this?{
=Training data and copyright
~Training examiners to judge AI inventions
~IP and the metaverse
~Technology in IP administration
}"""
    assert warnings_of(gift) == []


def test_fewer_than_three_options_is_a_cue_for_choice_questions():
    gift = """::Q::Which right protects a plant variety?{
=A breeder's right
~A trademark right
}"""
    (warning,) = warnings_of(gift)
    assert "2 options" in warning
    multi = """::Q::Which TWO are plant variety conditions?{
~%50%Distinctness
~%50%Uniformity
}"""
    (warning,) = warnings_of(multi)
    assert "2 options" in warning


@pytest.fixture
def content(tmp_path) -> Path:
    root = tmp_path / "quizzes"
    shutil.copytree(CONTENT_DIR, root)
    return root


def _cue_module(folder: Path) -> None:
    """Make every single-answer key of one module the clearly longest option."""
    gift = folder / "questions.gift"
    lines = []
    for line in gift.read_text(encoding="utf-8").splitlines():
        if line.startswith("=") and "->" not in line:
            text, sep, feedback = line.partition("#")
            line = f"{text} which is the right answer as explained at length{sep}{feedback}"
        lines.append(line)
    gift.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_check_prints_warnings_with_path_and_line_and_a_summary_per_module(runner, content):
    folder = content / "05-upov-and-plant-varieties"
    _cue_module(folder)
    check = runner.invoke(args=["content", "check", str(content)])
    assert check.exit_code == 0, check.output
    warning = next(
        line
        for line in check.output.splitlines()
        if "longer than 1.5" in line and "05-upov" in line
    )
    path, line, _ = warning.split(":", 2)
    assert path.endswith("05-upov-and-plant-varieties/questions.gift") and int(line) > 0
    summary = next(
        line for line in check.output.splitlines() if line.startswith("05-upov-and-plant")
    )
    assert "the key is the longest option" in summary and "100 %" in summary
    strict = runner.invoke(args=["content", "check", "--strict", str(content)])
    assert strict.exit_code == 1
    assert "05-upov-and-plant-varieties" in strict.output and "30 %" in strict.output


def _shorten_keys(folder: Path) -> None:
    """Make every single-answer key of one module the shortest option: the reverse cue."""
    gift = folder / "questions.gift"
    lines = []
    for line in gift.read_text(encoding="utf-8").splitlines():
        if line.startswith("=") and "->" not in line:
            line = "=K#" + line.partition("#")[2] if "#" in line else "=K"
        lines.append(line)
    gift.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_strict_fails_when_the_key_is_the_shortest_option_too_often(runner, content):
    _shorten_keys(content / "04-treaties-in-the-making")
    check = runner.invoke(args=["content", "check", "--strict", str(content)])
    assert check.exit_code == 1
    summary = next(line for line in check.output.splitlines() if line.startswith("04-treaties"))
    assert "the shortest in" in summary and "100 %" in summary


def test_strict_fails_on_a_single_warning(runner, content):
    gift = content / "01-why-ip-matters" / "questions.gift"
    (gift.parent / "questions.zh-Hans.gift").unlink()  # (it would lack the new question)
    text = gift.read_text(encoding="utf-8")
    gift.write_text(
        text
        + "\n// [id:ipv-99] [tag:ip-kinds]\n"
        + (
            "::Extra::Which of these is not a kind of IP?{=Gravity#No.~Patent#Yes.~Trademark#Yes.}"
            "####It is. Lesson section\\: [Summary](\\#summary).\n"
        ),
        encoding="utf-8",
    )
    check = runner.invoke(args=["content", "check", "--strict", str(content)])
    assert check.exit_code == 1
    assert "negative" in check.output and "questions.gift:" in check.output


def test_the_shipped_content_passes_strict(runner):
    check = runner.invoke(args=["content", "check", "--strict", str(CONTENT_DIR)])
    assert check.exit_code == 0, check.output
