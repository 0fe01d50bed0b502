"""Writing an embedded-answers (cloze) question through the bank form: Moodle's gap syntax in
the question text, mistakes named by gap beside it, the edit form giving the syntax back,
the preview with an input at each gap, and a GIFT export that says it cannot write one."""

from __future__ import annotations

import html
import re

from camp.bank import services
from tests.authoring.conftest import form_fields, post_form

URL = "/organiser/bank/new?type=cloze"
COMMON = {"category": "Cloze", "title": "", "text_format": "markdown", "tags": ""}
TEXT = (
    "Berlin is the capital of {1:SHORTANSWER:=Germany#Right.~*#No.}; "
    "pi is {2:NUMERICAL:=3.14:0.01}; Paris is in {1:MULTICHOICE:=France~Spain}."
)


def test_the_form_explains_the_gap_syntax(client, organiser):
    page = client.get(URL).get_data(as_text=True)
    assert "New embedded answers (cloze) question" in page
    assert re.search(r'<p class="help" id="text-help">[^<]*\{1:SHORTANSWER:=Paris', page)
    assert 'aria-describedby="text-help"' in page
    assert "answer-rows" not in page  # the answers are in the text: no rows to fill in


def test_a_cloze_question_is_written_in_moodle_syntax_and_edited_again(client, organiser):
    response = post_form(client, URL, {**COMMON, "uid": "cz-1", "text": TEXT})
    assert response.status_code == 302, response.get_data(as_text=True)
    version = services.current_version(services.find_question("cz-1"))
    assert version.text == "Berlin is the capital of {#1}; pi is {#2}; Paris is in {#3}."
    assert [gap["kind"] for gap in version.spec["gaps"]] == ["short_answer", "numerical", "choice"]
    assert version.spec["gaps"][1]["mark"] == 2

    edit = client.get("/organiser/bank/cz-1/edit").get_data(as_text=True)
    assert TEXT in edit
    again = client.post("/organiser/bank/cz-1/edit", data=form_fields(edit))
    assert again.status_code == 302
    assert "No changes: no new version" in client.get(again.location).get_data(as_text=True)

    changed = {**form_fields(edit), "text": TEXT.replace("{2:NUMERICAL", "{3:NUMERICAL")}
    assert client.post("/organiser/bank/cz-1/edit", data=changed).status_code == 302
    question = services.find_question("cz-1")
    assert question.version_count == 2
    assert services.current_version(question).spec["gaps"][1]["mark"] == 3
    diff = client.get("/organiser/bank/cz-1/versions?a=1&b=2").get_data(as_text=True)
    assert "{3:NUMERICAL:=3.14:0.01}" in html.unescape(diff)


def test_gap_mistakes_are_shown_beside_the_text_which_is_kept(client, organiser):
    text = "A {1:SA:=a~} and {1:MULTIRESPONSE:=b~=c} and <b>{1:MC:=only}</b>"
    response = post_form(client, URL, {**COMMON, "uid": "cz-bad", "text": text})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    errors = re.search(r'<ul class="errors" id="text-error">(.*?)</ul>', page, re.DOTALL).group(1)
    assert "Gap 1: answer 2 is empty" in errors
    assert "Gap 2: Camp has no MULTIRESPONSE gaps" in errors
    assert "Gap 3: Give at least two options." in errors
    assert html.escape(text, quote=False) in page  # the author's text, as typed
    assert 'aria-describedby="text-help text-error"' in page
    assert services.find_question("cz-bad") is None


def test_the_preview_shows_inputs_and_the_key_shows_each_gap(client, organiser):
    post_form(client, URL, {**COMMON, "uid": "cz-2", "text": TEXT})
    page = client.get("/organiser/bank/cz-2").get_data(as_text=True)
    preview = page[page.index('id="student-preview"') : page.index('id="answer-key"')]
    assert "Germany" not in preview and "3.14" not in preview
    assert re.search(r'<input type="text" id="q1-gap-1" name="answer-1"[^>]* disabled', preview)
    assert re.search(r'<select id="q1-gap-3" name="answer-3"[^>]* disabled', preview)
    key = page[page.index('id="answer-key"') :]
    assert "Gap 1: Germany" in key and "Gap 2: 3.14:0.01" in key and "Gap 3: France" in key
    assert "The correct answers are: Gap 1: Germany; Gap 2: 3.14 (± 0.01); Gap 3: France" in key


def test_gift_export_refuses_a_cloze_question_and_says_which(client, organiser, runner):
    post_form(client, URL, {**COMMON, "uid": "cz-3", "text": TEXT})
    response = client.get("/organiser/bank/export")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert (
        "The bank could not be written as GIFT: question &#39;cz-3&#39;: "
        "GIFT cannot write embedded answers (cloze) questions" in page
    )
    result = runner.invoke(args=["bank", "export"])
    assert result.exit_code == 1
    assert "question 'cz-3': GIFT cannot write embedded answers (cloze) questions" in result.output
    assert "Traceback" not in result.output
