"""GIFT import (preview, then a signed confirm, all or nothing) and export through the screens."""

from __future__ import annotations

import io
import secrets

from sqlalchemy import func, select

from camp.authoring import bank_transfer
from camp.bank import services
from camp.bank.gift_io import draft_from_gift, plan_import, read_gift
from camp.bank.models import Question, QuestionVersion
from camp.extensions import db
from tests.authoring.conftest import BANK_GIFT, csrf_token, hidden_value
from tests.formats.test_gift_roundtrip import FIXTURES

IMPORT = "/organiser/bank/import"
CONFIRM = "/organiser/bank/import/confirm"


def count_questions():
    return db.session.scalar(select(func.count(Question.id)))


def upload(client, text, *, category="Imported", filename="bank.gift"):
    data = {
        "file": (io.BytesIO(text.encode() if isinstance(text, str) else text), filename),
        "category": category,
        "csrf_token": csrf_token(client, IMPORT),
    }
    return client.post(IMPORT, data=data, content_type="multipart/form-data")


def confirm(client, payload):
    return client.post(CONFIRM, data={"payload": payload, "csrf_token": csrf_token(client, IMPORT)})


def import_file(client, text, **kwargs):
    response = confirm(
        client, hidden_value(upload(client, text, **kwargs).get_data(as_text=True), "payload")
    )
    assert response.status_code == 302
    return response


def test_upload_previews_then_confirm_writes_everything(client, organiser):
    response = upload(client, BANK_GIFT)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview of bank.gift" in page
    assert page.count("<td>create</td>") == 3
    assert '<th scope="row">4</th>' in page and "<td>ipv-01</td>" in page
    assert "<td>IP basics</td>" in page and "<td>Numerical</td>" in page
    assert count_questions() == 0
    # Posted urlencoded: a multipart text field would be capped at 500 kB.
    assert '<form method="post" action="/organiser/bank/import/confirm" class="actions">' in page

    response = confirm(client, hidden_value(page, "payload"))
    assert response.status_code == 302 and response.location == "/organiser/bank"
    listing = client.get("/organiser/bank").get_data(as_text=True)
    assert "Imported 3 questions: 3 created, 0 updated, 0 unchanged, 0 restored." in listing
    logo = services.find_question("ipv-01")
    assert logo.tag_names == ["ip-kinds", "logos"] and logo.category.path == "IP basics"
    assert services.current_version(logo).created_by_id == organiser.id


def test_a_second_upload_previews_updates_unchanged_and_restores(client, organiser):
    import_file(client, BANK_GIFT)
    services.set_retired(services.find_question("ipv-03"), True)
    db.session.commit()
    changed = BANK_GIFT.replace("company logo", "brand logo")
    page = upload(client, changed).get_data(as_text=True)
    assert "<td>update</td>" in page and "<td>unchanged</td>" in page and "<td>restore</td>" in page
    confirm(client, hidden_value(page, "payload"))
    assert services.find_question("ipv-01").version_count == 2
    assert not services.find_question("ipv-03").retired


def test_questions_without_a_category_go_to_the_one_given(client, organiser):
    page = upload(client, "Is this new?{T}", category=" Unit 1 / Extra ").get_data(as_text=True)
    assert "<td>Unit 1/Extra</td>" in page
    confirm(client, hidden_value(page, "payload"))
    question = db.session.scalar(select(Question))
    assert question.category.path == "Unit 1/Extra"


def test_a_broken_file_writes_nothing_and_names_its_lines(client, organiser):
    broken = BANK_GIFT.replace("{#20}", "{#twenty}")
    response = upload(client, broken)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported" in page
    assert "line 10: " in page
    assert 'name="payload"' not in page
    assert count_questions() == 0


def test_a_category_too_long_to_store_fails_on_confirm_and_writes_nothing(client, organiser):
    text = f"$CATEGORY: {'x' * 1001}\n\nIs this new?{{T}}\n"
    page = upload(client, text).get_data(as_text=True)
    response = confirm(client, hidden_value(page, "payload"))
    assert response.status_code == 400
    assert "Category paths are limited" in response.get_data(as_text=True)
    assert count_questions() == 0


def test_a_file_that_is_not_utf8_is_refused(client, organiser):
    response = upload(client, "Caf\xe9?{T}".encode("latin-1"))
    assert response.status_code == 400
    assert "not UTF-8" in response.get_data(as_text=True)


def test_a_tampered_confirm_payload_is_refused_and_writes_nothing(client, organiser):
    page = upload(client, BANK_GIFT).get_data(as_text=True)
    payload = hidden_value(page, "payload")
    body, signature = payload.rsplit(".", 1)
    flipped = body[:-3] + ("A" if body[-3] != "A" else "B") + body[-2:]
    forged = bank_transfer.sign_upload(
        bank_transfer.Upload(text="Forged?{T}", category="X", filename="f.gift"), "not-our-key"
    )
    for bad in (f"{flipped}.{signature}", forged, "", "garbage"):
        response = confirm(client, bad)
        assert response.status_code == 400, bad
        assert "could not be confirmed" in response.get_data(as_text=True)
    assert count_questions() == 0


def test_an_old_preview_is_refused(client, organiser, monkeypatch):
    payload = hidden_value(upload(client, BANK_GIFT).get_data(as_text=True), "payload")
    monkeypatch.setattr(bank_transfer, "UPLOAD_MAX_AGE", -1)
    assert confirm(client, payload).status_code == 400
    assert count_questions() == 0


def test_confirm_without_csrf_token_is_refused(client, organiser):
    payload = hidden_value(upload(client, BANK_GIFT).get_data(as_text=True), "payload")
    assert client.post(CONFIRM, data={"payload": payload}).status_code == 400
    assert count_questions() == 0


def test_a_large_file_survives_the_confirm_round_trip(app, client, organiser):
    # Random text barely compresses: the signed payload is larger than Flask's 500 kB limit
    # for one multipart field. (Signed here: the test client leaks a temporary file for a
    # multipart body over 500 kB, which the warnings filter turns into an error.)
    questions = [
        f"// [id:big-{n}]\nQ{n} {secrets.token_urlsafe(30_000)}?{{T}}\n" for n in range(20)
    ]
    upload = bank_transfer.Upload(text="\n".join(questions), category="Big", filename="big.gift")
    payload = bank_transfer.sign_upload(upload, app.config["SECRET_KEY"])
    assert len(payload) > 600_000
    assert confirm(client, payload).status_code == 302
    assert count_questions() == 20


def test_an_upload_over_the_limit_gets_413(app, client, organiser):
    app.config["MAX_CONTENT_LENGTH"] = 2000
    token = csrf_token(client, IMPORT)
    data = {"file": (io.BytesIO(b"x" * 5000), "big.gift"), "csrf_token": token}
    response = client.post(IMPORT, data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "The upload is larger than the" in response.get_data(as_text=True)


def test_export_downloads_gift_that_reimports_to_equal_questions(client, organiser, add_question):
    import_file(client, BANK_GIFT)
    fixture = (FIXTURES / "question_types.gift").read_text()
    import_file(client, fixture, category="Fixture/Types")
    add_question(uid="md-1", category="IP basics/Sub", text_format="markdown", tags=["a b"])
    response = client.get("/organiser/bank/export")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.headers["Content-Disposition"] == "attachment; filename=question-bank.gift"
    exported = read_gift(response.get_data())
    assert len(exported) == count_questions()
    assert {p.action for p in plan_import(exported)} == {"unchanged"}
    for gift in exported:
        question = services.find_question(gift.id)
        version = services.current_version(question)
        assert draft_from_gift(gift).content_key() == services.version_content_key(version)
        assert gift.tags == question.tag_names
        assert gift.category == question.category.path


def test_export_of_a_category_takes_its_subtree_and_names_the_file(client, organiser, add_question):
    add_question(uid="in-1", category="IP basics")
    add_question(uid="in-2", category="IP basics/Sub")
    add_question(uid="out-1", category="IP basics extra")
    response = client.get("/organiser/bank/export?category=IP basics")
    assert response.headers["Content-Disposition"] == "attachment; filename=ip-basics.gift"
    assert sorted(q.id for q in read_gift(response.get_data())) == ["in-1", "in-2"]
    assert client.get("/organiser/bank/export?category=Nowhere").status_code == 404


def test_an_ordering_question_stops_the_export_with_a_message_naming_it(
    client, organiser, add_question
):
    add_question(uid="kept-1", category="IP basics")
    spec = {"items": ["Invent", "File", "Grant"], "grading": "partial"}
    add_question("ordering", uid="steps-1", category="IP basics/Steps", spec=spec)
    response = client.get("/organiser/bank/export?category=IP basics")
    assert response.status_code == 302
    assert response.location == "/organiser/bank?category=IP+basics"
    page = client.get(response.location).get_data(as_text=True)
    assert (
        "The bank could not be written as GIFT: question &#39;steps-1&#39;: "
        "GIFT cannot write ordering questions." in page
    )


def test_an_import_leaves_versions_immutable(client, organiser):
    import_file(client, BANK_GIFT)
    before = db.session.scalar(select(func.count(QuestionVersion.id)))
    import_file(client, BANK_GIFT)
    assert db.session.scalar(select(func.count(QuestionVersion.id))) == before
