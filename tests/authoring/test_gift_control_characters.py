"""A GIFT file holding NUL or another control character (tab, CR and LF aside) is refused
whole, on the upload screens and by `camp bank import`: the error names the file and the
line, and no question is written. (PostgreSQL cannot store NUL at all; form fields have
these characters stripped, an uploaded file is checked here.)"""

from __future__ import annotations

import pytest
from flask import current_app

from camp.authoring.bank_transfer import Upload, sign_upload
from tests.authoring.conftest import BANK_GIFT
from tests.authoring.test_bank_transfer import CONFIRM, confirm, count_questions, upload

# Line 4 of BANK_GIFT is "::Logo::Which right protects a company logo?{".
LOGO_LINE = 4


def with_control(char: str, line: int = LOGO_LINE) -> str:
    lines = BANK_GIFT.split("\n")
    lines[line - 1] = lines[line - 1].replace("company logo", f"company{char} logo")
    assert char in lines[line - 1]
    return "\n".join(lines)


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f"])
def test_an_upload_with_a_control_character_is_refused_with_its_line(client, organiser, char):
    response = upload(client, with_control(char), filename="logos.gift")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported. Fix this line of logos.gift" in page
    assert f"line {LOGO_LINE}: " in page and f"U+{ord(char):04X}" in page
    assert 'name="payload"' not in page  # no preview to confirm
    assert count_questions() == 0


def test_tabs_and_line_breaks_are_not_control_characters_here(client, organiser):
    text = with_control("\t").replace("\n", "\r\n")
    response = upload(client, text)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "Preview of bank.gift" in response.get_data(as_text=True)


def test_every_line_with_a_control_character_is_named(client, organiser):
    text = with_control("\x00").replace("Trademarks protect signs.", "Trademarks\x00.")
    page = upload(client, text).get_data(as_text=True)
    assert "Fix these lines of bank.gift" in page
    assert f"line {LOGO_LINE}: " in page and "line 7: " in page


def test_a_utf16_file_is_refused_with_a_hint_and_few_lines(client, organiser):
    """UTF-16 text without a byte-order mark decodes as UTF-8 with a NUL after each letter."""
    response = upload(client, BANK_GIFT.encode("utf-16-le"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "UTF-16" in page and "save it as UTF-8" in page
    assert page.count("<li>line ") <= 11  # not one per line of the file
    assert count_questions() == 0


def test_confirming_a_payload_with_a_control_character_writes_nothing(client, organiser):
    """The confirm step parses the text again: a preview signed before this check existed
    (they stay valid for two hours) cannot carry a NUL into the bank either."""
    upload_ = Upload(text=with_control("\x00"), category="Imported", filename="old.gift")
    response = confirm(client, sign_upload(upload_, current_app.config["SECRET_KEY"]))
    page = response.get_data(as_text=True)
    assert response.request.path == CONFIRM and response.status_code == 400
    assert "Fix this line of old.gift" in page and f"line {LOGO_LINE}: " in page
    assert count_questions() == 0


@pytest.mark.parametrize("extra", [[], ["--dry-run"]])
def test_the_cli_refuses_the_file_naming_file_and_line(app, runner, tmp_path, extra):
    path = tmp_path / "logos.gift"
    path.write_text(with_control("\x00"), encoding="utf-8")
    result = runner.invoke(args=["bank", "import", str(path), *extra])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:{LOGO_LINE}: ")
    assert "U+0000" in result.stderr
    assert count_questions() == 0


def test_the_cli_still_imports_a_clean_file(app, runner, tmp_path):
    path = tmp_path / "bank.gift"
    path.write_text(BANK_GIFT, encoding="utf-8")
    result = runner.invoke(args=["bank", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert count_questions() == 3
