"""`camp bank import` and `camp bank export` with `--lang`: English (the default) as before;
`--lang zh-Hans` imports a translation of questions already in the bank, checked question
by question as `camp content check` checks a module's translation, all or nothing, with
the translation's file and line in every error; and exports the translations as GIFT."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from camp.bank import services
from camp.bank.gift_io import apply_import, read_gift
from camp.bank.models import QuestionVersion
from camp.bank.translation_models import QuestionTranslation
from camp.extensions import db
from tests.bank.test_gift_io import BANK
from tests.quizzes.test_attempt_language import ZH as CHINESE_BROWSER
from tests.quizzes.test_attempt_language import start

# BANK (tests/bank/test_gift_io.py) in Chinese: the same ids, tags, answers and numbers,
# line for line (ipv-01 on line 4, ipv-02 on 11, ipv-03 on 14, ipv-04 on 17).
ZH_BANK = """\
$CATEGORY: top/IP basics

// [id:ipv-01] [tag:ip-kinds] [tag:logos]
::标志::哪种权利保护公司标志？{
=商标#正确：商标是用于贸易的标志。
~专利#专利保护发明。
~仅著作权#对用于贸易的标志，这不是通常的途径。
}####商标保护标志。

// [id:ipv-02] [tag:ip-terms]
::专利期限::根据TRIPS协定，自申请日起的最短专利期限是多少年？{#20}

// [id:ipv-03] [tag:ip-kinds]
::商业秘密::商业秘密必须注册。{F#无需注册。#正确。}

// [id:ipv-04] [tag:ip-kinds]
::配对::将每种权利与其保护的对象配对。{
=专利 -> 一项发明
=商标 -> 用于贸易的标志
=著作权 -> 一部文学作品
}
"""


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def translations() -> dict[str, QuestionTranslation]:
    """The stored translations by question id."""
    rows = db.session.execute(
        select(QuestionTranslation, services.Question.uid)
        .join(QuestionVersion, QuestionVersion.id == QuestionTranslation.question_version_id)
        .join(services.Question, services.Question.id == QuestionVersion.question_id)
    ).all()
    return {uid: row for row, uid in rows}


@pytest.fixture
def english(app):
    apply_import(read_gift(BANK))
    db.session.commit()


def write(tmp_path: Path, text: str, name: str = "bank.zh-Hans.gift") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(runner, *args: str):
    return runner.invoke(args=["bank", *args])


@pytest.mark.parametrize("lang", [[], ["--lang", "en"], ["--lang", "EN"]])
def test_english_is_the_default_and_imports_as_before(app, runner, tmp_path, lang):
    path = write(tmp_path, BANK, "bank.gift")
    result = run(runner, "import", str(path), *lang)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{path}: imported 4 questions (4 create)\n"
    assert count(QuestionTranslation) == 0
    exported = run(runner, "export", *lang)
    assert exported.exit_code == 0 and exported.stderr == ""
    assert "// [id:ipv-01] [tag:ip-kinds] [tag:logos]" in exported.stdout
    assert "Which right protects a company logo?" in exported.stdout


def test_an_unknown_language_is_a_usage_error(app, runner, tmp_path):
    result = run(runner, "import", str(write(tmp_path, BANK)), "--lang", "fr")
    assert result.exit_code == 2
    assert "en" in result.output and "zh-Hans" in result.output


@pytest.mark.parametrize("lang", ["zh-Hans", "zh_Hans", "ZH-HANS"])
def test_a_chinese_import_stores_translations_of_the_current_versions(
    english, runner, tmp_path, lang
):
    path = write(tmp_path, ZH_BANK)
    result = run(runner, "import", str(path), "--lang", lang)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{path}: imported 4 zh-Hans translations (4 created, 0 updated, 0 unchanged)\n"
    )
    stored = translations()
    assert sorted(stored) == ["ipv-01", "ipv-02", "ipv-03", "ipv-04"]
    logo = stored["ipv-01"]
    assert logo.locale == "zh_Hans" and logo.title == "标志"
    assert logo.text == "哪种权利保护公司标志？" and logo.general_feedback == "商标保护标志。"
    assert [o["text"] for o in logo.spec["options"]] == ["商标", "专利", "仅著作权"]
    version = services.current_version(services.find_question("ipv-01"))
    assert logo.question_version_id == version.id
    assert count(QuestionVersion) == 4  # the English is untouched


def test_a_learner_reading_chinese_sees_the_imported_translation(
    english, runner, tmp_path, client, login, make
):
    assert run(runner, "import", str(write(tmp_path, ZH_BANK)), "--lang", "zh-Hans").exit_code == 0
    quiz = make.quiz([services.find_question("ipv-01")])
    login(make.user())
    attempt_id = start(client, quiz, CHINESE_BROWSER)
    page = client.get(f"/attempts/{attempt_id}", headers=CHINESE_BROWSER).get_data(as_text=True)
    assert "哪种权利保护公司标志？" in page and "company logo" not in page


def test_importing_again_updates_in_place_and_counts_what_changed(english, runner, tmp_path):
    path = write(tmp_path, ZH_BANK)
    assert run(runner, "import", str(path), "--lang", "zh-Hans").exit_code == 0
    write(tmp_path, ZH_BANK.replace("商业秘密必须注册。", "商业秘密需要注册。"))
    result = run(runner, "import", str(path), "--lang", "zh-Hans")
    assert result.exit_code == 0, result.output
    assert "imported 4 zh-Hans translations (0 created, 1 updated, 3 unchanged)" in result.stdout
    assert translations()["ipv-03"].text == "商业秘密需要注册。"
    assert count(QuestionTranslation) == 4


def test_a_retired_question_may_be_translated(english, runner, tmp_path):
    services.set_retired(services.find_question("ipv-03"), True)
    db.session.commit()
    result = run(runner, "import", str(write(tmp_path, ZH_BANK)), "--lang", "zh-Hans")
    assert result.exit_code == 0, result.output
    assert "ipv-03" in translations()


# (what to change in ZH_BANK, into what, the line of the error, what it says)
DISAGREEMENTS = [
    pytest.param(
        "~仅著作权#对用于贸易的标志，这不是通常的途径。\n",
        "",
        4,
        "ipv-01: options: 3 in English, 2 here",
        id="options",
    ),
    pytest.param(
        "~专利#",
        "~%50%专利#",
        4,
        "ipv-01: options 2 weight: 0.0 in English, 50.0 here",
        id="weight",
    ),
    pytest.param(
        "{#20}", "{#21}", 11, "ipv-02: answers 1 value: 20.0 in English, 21.0 here", id="number"
    ),
    pytest.param(
        "{F#无需注册。#正确。}",
        "{=是 ~否}",
        14,
        "ipv-03: single_choice, in English a true_false question",
        id="type",
    ),
    pytest.param(
        "{F#无需注册",
        "{T#无需注册",
        14,
        "ipv-03: answer: False in English, True here",
        id="true-false",
    ),
    pytest.param(
        "[tag:ip-terms]", "[tag:术语]", 11, "ipv-02: other tags than in English", id="tags"
    ),
    pytest.param(
        "[id:ipv-01]",
        "[id:ipv-99]",
        4,
        "no question in the bank has the id 'ipv-99'",
        id="unknown-id",
    ),
    pytest.param("// [id:ipv-03] [tag:ip-kinds]", "// [tag:ip-kinds]", 14, "[id:", id="no-id"),
    pytest.param("商标保护标志。", "商标保护\x00标志。", 8, "U+0000", id="control"),
    pytest.param("::配对::", "::配对", 17, "never closed", id="syntax"),
]


@pytest.mark.parametrize(("old", "new", "line", "message"), DISAGREEMENTS)
def test_a_translation_that_disagrees_writes_nothing_and_names_file_and_line(
    english, runner, tmp_path, old, new, line, message
):
    assert old in ZH_BANK
    path = write(tmp_path, ZH_BANK.replace(old, new, 1))
    for extra in ([], ["--dry-run"]):
        result = run(runner, "import", str(path), "--lang", "zh-Hans", *extra)
        assert result.exit_code == 1, result.output
        assert result.stdout == ""
        assert result.stderr.startswith(f"{path}:{line}: "), result.stderr
        assert message in result.stderr, result.stderr
    assert count(QuestionTranslation) == 0


def test_every_disagreement_is_reported_and_an_earlier_translation_is_kept(
    english, runner, tmp_path
):
    path = write(tmp_path, ZH_BANK)
    assert run(runner, "import", str(path), "--lang", "zh-Hans").exit_code == 0
    broken = ZH_BANK.replace("{#20}", "{#21}").replace("[id:ipv-04]", "[id:ipv-40]")
    write(tmp_path, broken.replace("商业秘密必须注册。", "商业秘密需要注册。"))
    result = run(runner, "import", str(path), "--lang", "zh-Hans")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:11: ipv-02: answers 1 value: 20.0 in English, 21.0 here",
        f"{path}:17: no question in the bank has the id 'ipv-40'",
    ]
    assert translations()["ipv-03"].text == "商业秘密必须注册。"


def test_a_dry_run_writes_nothing(english, runner, tmp_path):
    path = write(tmp_path, ZH_BANK)
    result = run(runner, "import", str(path), "--lang", "zh-Hans", "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        "would import 4 zh-Hans translations (4 created, 0 updated, 0 unchanged)" in result.stdout
    )
    assert count(QuestionTranslation) == 0


def test_json_prints_the_translated_questions(english, runner, tmp_path):
    path = write(tmp_path, ZH_BANK)
    result = run(runner, "import", str(path), "--lang", "zh-Hans", "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [q["id"] for q in data] == ["ipv-01", "ipv-02", "ipv-03", "ipv-04"]
    assert data[0]["text"] == "哪种权利保护公司标志？" and data[0]["line"] == 4
    assert count(QuestionTranslation) == 0


def test_export_then_import_of_the_translations_changes_nothing(english, runner, tmp_path):
    assert run(runner, "import", str(write(tmp_path, ZH_BANK)), "--lang", "zh-Hans").exit_code == 0
    exported = run(runner, "export", "--lang", "zh-Hans")
    assert exported.exit_code == 0, exported.output
    assert exported.stderr == ""
    assert "// [id:ipv-01] [tag:ip-kinds] [tag:logos]" in exported.stdout
    assert "$CATEGORY: $course$/top/IP basics" in exported.stdout
    assert "哪种权利保护公司标志？" in exported.stdout and "company logo" not in exported.stdout
    again = write(tmp_path, exported.stdout, "exported.zh-Hans.gift")
    result = run(runner, "import", str(again), "--lang", "zh-Hans")
    assert result.exit_code == 0, result.output
    assert "imported 4 zh-Hans translations (0 created, 0 updated, 4 unchanged)" in result.stdout


def test_export_leaves_out_questions_without_a_translation_and_says_so(english, runner, tmp_path):
    three = ZH_BANK[: ZH_BANK.index("// [id:ipv-04]")]
    assert run(runner, "import", str(write(tmp_path, three)), "--lang", "zh-Hans").exit_code == 0
    exported = run(runner, "export", "--lang", "zh-Hans")
    assert exported.exit_code == 0, exported.output
    assert "[id:ipv-03]" in exported.stdout and "[id:ipv-04]" not in exported.stdout
    assert "left out 1 question" in exported.stderr and "--lang en" in exported.stderr
    # A revised English question's translation belongs to the old version: left out too.
    logo = services.find_question("ipv-01")
    draft = services.draft_from_version(services.current_version(logo), logo.tag_names)
    services.revise_question(logo, services.QuestionDraft(**{**vars(draft), "text": "New?"}))
    db.session.commit()
    exported = run(runner, "export", "--lang", "zh-Hans", "--category", "top")
    assert "[id:ipv-01]" not in exported.stdout and "[id:ipv-02]" in exported.stdout
    assert "left out 2 questions" in exported.stderr


# The Chinese bank with a byte-order mark and CRLF line endings, and two comment lines
# above it: ipv-01's question on line 6, ipv-02's on line 13.
def chinese_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "chinese.gift"
    header = "// 知识产权基础：中文译本\n// 译者：测试\n"
    path.write_bytes(b"\xef\xbb\xbf" + (header + text).replace("\n", "\r\n").encode("utf-8"))
    return path


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_errors_in_a_chinese_file_with_bom_and_crlf_have_their_lines(
    english, runner, tmp_path, lang
):
    path = chinese_file(tmp_path, ZH_BANK.replace("{#20}", "{#二十}"))
    result = run(runner, "import", str(path), "--lang", lang)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:13: "), result.stderr
    assert count(QuestionTranslation) == 0


def test_a_disagreement_in_a_chinese_file_with_bom_and_crlf_has_its_line(english, runner, tmp_path):
    path = chinese_file(tmp_path, ZH_BANK.replace("[id:ipv-01]", "[id:ipv-10]"))
    result = run(runner, "import", str(path), "--lang", "zh-Hans")
    assert result.exit_code == 1
    assert result.stderr == f"{path}:6: no question in the bank has the id 'ipv-10'\n"
    ok = run(runner, "import", str(chinese_file(tmp_path, ZH_BANK)), "--lang", "zh-Hans")
    assert ok.exit_code == 0, ok.output


def test_an_import_reads_with_the_same_queries_whatever_the_number_of_questions(
    english, runner, tmp_path
):
    one = write(tmp_path, ZH_BANK[: ZH_BANK.index("// [id:ipv-02]")], "one.gift")
    four = write(tmp_path, ZH_BANK, "four.gift")
    with counting_selects() as small:
        assert run(runner, "import", str(one), "--lang", "zh-Hans").exit_code == 0
    with counting_selects() as large:
        assert run(runner, "import", str(four), "--lang", "zh-Hans").exit_code == 0
    assert len(small) == len(large), (small, large)


@contextmanager
def counting_selects() -> Iterator[list[str]]:
    """The SELECT statements sent to the database inside the block."""
    seen: list[str] = []

    def before(_conn, _cursor, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
