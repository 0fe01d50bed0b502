"""Moodle XML through the bank screens: the upload tells the format by the content, previews,
skips unknown types only when asked, and writes nothing on error; the export downloads
Moodle XML; a question's extras survive its edit form and show on its page."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import func, select

from camp.authoring import bank_transfer
from camp.bank import services
from camp.bank.models import Category, Question
from camp.extensions import db
from camp.formats.moodle_xml import parse_moodle_xml
from tests.authoring.conftest import BANK_GIFT, csrf_token, hidden_value, post_form

FIXTURES = Path(__file__).parent.parent / "formats" / "fixtures" / "moodle_xml"
EVERY = (FIXTURES / "every_type.xml").read_bytes()
UNKNOWN = (FIXTURES / "unknown_type.xml").read_bytes()
IMPORT = "/organiser/bank/import"
CONFIRM = "/organiser/bank/import/confirm"


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def upload(client, data, *, filename="bank.xml", skip_unknown=False, category="Imported"):
    form = {
        "file": (io.BytesIO(data), filename),
        "category": category,
        "csrf_token": csrf_token(client, IMPORT),
    }
    if skip_unknown:
        form["skip_unknown"] = "y"
    return client.post(IMPORT, data=form, content_type="multipart/form-data")


def confirm(client, page):
    payload = hidden_value(page, "payload")
    return client.post(CONFIRM, data={"payload": payload, "csrf_token": csrf_token(client, IMPORT)})


def test_the_upload_screen_takes_xml_files_and_offers_to_skip_unknown_types(client, organiser):
    page = client.get(IMPORT).get_data(as_text=True)
    assert 'accept=".gift,.txt,.xml,text/plain,text/xml,application/xml"' in page
    assert 'type="checkbox"' in page and "Skip questions of types Camp cannot read" in page


def test_a_moodle_xml_upload_is_detected_previewed_and_confirmed(client, organiser):
    response = upload(client, EVERY, filename="moodle-export.txt")  # the name says nothing
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview of moodle-export.txt" in page
    assert page.count("<td>create</td>") == 10
    assert "<td>ipv-01 &lt;&amp;&gt;</td>" in page and "<td>Embedded answers (cloze)</td>" in page
    assert count(Question) == 0 and count(Category) == 0
    response = confirm(client, page)
    assert response.status_code == 302
    assert count(Question) == 10
    terms = db.session.scalar(select(Category).where(Category.path == "IP basics/Terms"))
    assert (terms.info, terms.idnumber) == ("How long rights last.", "ip-terms")
    listing = client.get("/organiser/bank?category=IP basics/Terms").get_data(as_text=True)
    assert "Imported 10 questions: 10 created" in listing
    assert "How long rights last." in listing and "<code>ip-terms</code>" in listing
    assert "<td>acronyms</td>" in listing  # the tags in the list


def test_errors_rerender_the_form_with_their_lines_and_write_nothing(client, organiser):
    broken = EVERY.replace(b'fraction="50" format="html"', b'fraction="half" format="html"')
    response = upload(client, broken)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported. Fix this line of bank.xml and upload it again:" in page
    assert "line 55: question &#39;Logo rights &amp; marks&#39;: the fraction" in page
    assert 'name="payload"' not in page and 'name="file"' in page
    hostile = upload(client, (FIXTURES / "billion_laughs.xml").read_bytes())
    assert hostile.status_code == 400
    assert "line 2: the file declares a document type" in hostile.get_data(as_text=True)
    assert count(Question) == 0 and count(Category) == 0


def test_unknown_types_stop_the_upload_unless_skipped(client, organiser):
    stopped = upload(client, UNKNOWN)
    assert stopped.status_code == 400
    text = stopped.get_data(as_text=True)
    assert "line 18: question &#39;Drag words&#39;: Camp cannot read" in text
    page = upload(client, UNKNOWN, skip_unknown=True).get_data(as_text=True)
    assert "These questions of the file will be left out:" in page
    assert "line 30: skipped question &#39;Formula&#39; of the type &#39;calculated&#39;" in page
    assert page.count("<td>create</td>") == 2
    assert confirm(client, page).status_code == 302
    assert count(Question) == 2


def test_a_gift_upload_is_still_gift(client, organiser):
    page = upload(client, BANK_GIFT.encode(), filename="bank.xml").get_data(as_text=True)
    assert page.count("<td>create</td>") == 3
    confirm(client, page)
    assert services.find_question("ipv-01").tag_names == ["ip-kinds", "logos"]


def test_a_changed_format_in_the_signed_payload_is_refused(app, client, organiser):
    secret = app.config["SECRET_KEY"]
    good = bank_transfer.sign_upload(
        bank_transfer.Upload(
            text=EVERY.decode(), category="X", filename="b.xml", format="moodle-xml"
        ),
        secret,
    )
    assert bank_transfer.read_signed_upload(good, secret).format == "moodle-xml"
    forged = bank_transfer._serializer(secret).dumps(
        {"text": "x", "category": "X", "filename": "b", "format": "pdf", "skip_unknown": False}
    )
    response = client.post(
        CONFIRM, data={"payload": forged, "csrf_token": csrf_token(client, IMPORT)}
    )
    assert response.status_code == 400 and count(Question) == 0


def test_the_export_downloads_moodle_xml(client, organiser):
    confirm(client, upload(client, EVERY).get_data(as_text=True))
    response = client.get("/organiser/bank/export?format=moodle-xml&category=IP basics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert response.headers["Content-Disposition"] == "attachment; filename=ip-basics.xml"
    read = parse_moodle_xml(response.get_data())
    assert len(read.questions) == 7 and read.categories[0].idnumber == "ip-basics"
    assert client.get("/organiser/bank/export?format=pdf").status_code == 404
    browse = client.get("/organiser/bank").get_data(as_text=True)
    assert "/organiser/bank/export?format=moodle-xml" in browse


def test_an_edit_keeps_the_extras_and_the_page_shows_them(client, organiser):
    confirm(client, upload(client, EVERY).get_data(as_text=True))
    question = services.find_question("ipv-06")
    page = client.get(f"/organiser/bank/{question.uid}").get_data(as_text=True)
    assert "Feedback by outcome" in page and "Some matched." in page
    url = f"/organiser/bank/{question.uid}/edit"
    form = {
        "category": "IP basics/Terms",
        "title": "Match the right",
        "text": "<p>Match each thing with the right that protects it, now.</p>",
        "text_format": "html",
        "general_feedback": "",
        "tags": "",
        "pairs-0-left": "<p>A logo</p>",
        "pairs-0-right": "Trademark",
        "pairs-1-left": "A machine",
        "pairs-1-right": "Patent",
        "pairs-2-left": "",
        "pairs-2-right": "Lease",
    }
    response = post_form(client, url, form)
    assert response.status_code == 302, response.get_data(as_text=True)
    version = services.current_version(services.find_question("ipv-06"))
    assert version.number == 2 and version.text.endswith("now.</p>")
    assert version.extras == {
        "correct_feedback": "All matched.",
        "partially_correct_feedback": "Some matched.",
    }


def test_the_short_answer_form_says_whether_case_matters(client, organiser):
    confirm(client, upload(client, EVERY).get_data(as_text=True))
    page = client.get("/organiser/bank/ipv-05/edit").get_data(as_text=True)
    assert (
        '<input aria-describedby="case_sensitive-help" checked id="case_sensitive" '
        'name="case_sensitive" type="checkbox" value="y"> <label for="case_sensitive">'
        "Case matters</label>"
    ) in page
    fields = {
        "category": "IP basics/Terms",
        "title": "Acronym",
        "text": "What does the W in WIPO stand for?",
        "text_format": "html",
        "answers-0-text": "World",
        "answers-0-weight": "100",
        "answers-0-feedback": "Yes.",
        "answers-1-text": "W*",
        "answers-1-weight": "50",
    }
    edit = "/organiser/bank/ipv-05/edit"
    assert post_form(client, edit, fields).status_code == 302  # unticked: case no longer matters
    version = services.current_version(services.find_question("ipv-05"))
    assert "case_sensitive" not in version.spec and version.number == 2
    assert post_form(client, edit, {**fields, "case_sensitive": "y"}).status_code == 302
    version = services.current_version(services.find_question("ipv-05"))
    assert version.spec["case_sensitive"] is True and version.number == 3
