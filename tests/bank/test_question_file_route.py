"""Embedded files through HTTP: a student sees a question's image in their attempt and its
review, fetched from `/bank/versions/<id>/files/<name>` with safe headers; organisers
fetch any; other students, and names a version does not have, get 404; anonymous visitors
are sent to log in."""

from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager

import pytest
from flask import url_for
from sqlalchemy import event

from camp.accounts.models import Role
from camp.bank import services as bank
from camp.bank.question_files import IncomingFile, attach_files, file_url
from camp.bank.services import QuestionDraft
from camp.db import utcnow
from camp.extensions import db
from camp.live import services as live
from camp.quizzes import attempts, services
from camp.quizzes.models import Attempt, ReviewWhen
from camp.review.scheduling import new_card
from tests.bank.images import GIF, png

IMAGE = png(4, 3, shade=200)
TEXT = '<p>Whose mark? <img src="@@PLUGINFILE@@/sub/my%20chart.png" alt="A chart"></p>'
FEEDBACK = 'See <img src="@@PLUGINFILE@@/sub/my%20chart.png" alt="Again">.'
NAME = "sub/my%20chart.png"


def _question(make, text=TEXT):
    draft = QuestionDraft(
        type="true_false",
        text=text,
        text_format="html",
        spec={"answer": True},
        general_feedback=FEEDBACK,
    )
    question = make.question(draft)
    version = bank.current_version(question)
    attach_files(version, [IncomingFile("/sub/my chart.png", IMAGE, 12)])
    db.session.commit()
    return question, version


@pytest.fixture
def world(make):
    organiser, other_organiser = make.user(Role.ORGANISER), make.user(Role.ORGANISER)
    cohort = make.cohort("A", organiser=organiser)
    cohort_b = make.cohort("B", organiser=other_organiser)
    student, other_student, lone = make.user(), make.user(), make.user()
    make.member(cohort, student)
    make.member(cohort_b, other_student)
    question, version = _question(make)
    quiz = make.quiz(
        [question],
        attempts_allowed=1,
        review_feedback=ReviewWhen.IMMEDIATELY,
        review_answers=ReviewWhen.IMMEDIATELY,
    )
    attempt_id = services.start_attempt(student, quiz, utcnow())
    db.session.commit()
    return {
        "student": student,
        "other_student": other_student,
        "lone": lone,
        "organiser": organiser,
        "other_organiser": other_organiser,
        "admin": make.user(Role.ADMIN),
        "cohort": cohort,
        "cohort_b": cohort_b,
        "question": question,
        "version": version,
        "quiz": quiz,
        "attempt_id": attempt_id,
        "url": f"/bank/versions/{version.id}/files/{NAME}",
    }


@contextmanager
def selects():
    seen: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def _image_urls(page: str) -> list[str]:
    return re.findall(r'<img src="([^"]+)"', page)


def _assert_served(response, data=IMAGE, content_type="image/png"):
    assert response.status_code == 200
    assert response.get_data() == data
    assert response.headers["Content-Type"] == content_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    cache = response.headers["Cache-Control"]
    assert "private" in cache and "immutable" in cache and "max-age=31536000" in cache
    assert response.headers["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'


def test_a_student_sees_the_image_in_their_attempt(client, login, world):
    login(world["student"])
    page = client.get(f"/attempts/{world['attempt_id']}").get_data(as_text=True)
    assert _image_urls(page) == [world["url"]]
    assert "PLUGINFILE" not in page
    _assert_served(client.get(world["url"]))


def test_the_same_file_again_is_not_modified(client, login, world):
    login(world["student"])
    etag = client.get(world["url"]).headers["ETag"]
    again = client.get(world["url"], headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""


def test_the_review_shows_the_image_in_the_question_and_the_feedback(client, login, world):
    attempt = db.session.get(Attempt, world["attempt_id"])
    attempts.submit_attempt(attempt, utcnow())
    db.session.commit()
    login(world["student"])
    page = client.get(f"/attempts/{world['attempt_id']}/review").get_data(as_text=True)
    assert _image_urls(page) == [world["url"], world["url"]]
    assert 'alt="Again"' in page


@pytest.mark.parametrize("visitor", ["organiser", "other_organiser", "admin"])
def test_organisers_fetch_any_file(client, login, world, visitor):
    login(world[visitor])
    _assert_served(client.get(world["url"]))


@pytest.mark.parametrize("visitor", ["other_student", "lone"])
def test_a_student_the_question_was_never_shown_to_gets_404(client, login, world, visitor):
    login(world[visitor])
    response = client.get(world["url"])
    assert response.status_code == 404
    assert response.get_data() != IMAGE


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(world["url"])
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


@pytest.mark.parametrize(
    "path",
    ["sub/other.png", "sub/my%20chart.PNG", "my%20chart.png", "sub/../sub/my%20chart.png"],
)
def test_a_name_the_version_does_not_have_is_404_even_for_organisers(client, login, world, path):
    login(world["organiser"])
    assert client.get(f"/bank/versions/{world['version'].id}/files/{path}").status_code == 404
    assert client.get(f"/bank/versions/999999/files/{NAME}").status_code == 404


def test_a_student_may_not_fetch_a_version_they_were_not_shown(client, login, make, world):
    """Their attempt pinned version 1; version 2 (with a new image) is not theirs yet."""
    version2 = bank.revise_question(
        world["question"],
        QuestionDraft(
            type="true_false", text=TEXT + " (revised)", text_format="html", spec={"answer": True}
        ),
    )
    assert version2 is not None
    attach_files(version2, [IncomingFile("/sub/my chart.png", GIF, 3)])
    db.session.commit()
    login(world["student"])
    assert client.get(world["url"]).status_code == 200
    assert client.get(f"/bank/versions/{version2.id}/files/{NAME}").status_code == 404
    login(world["other_organiser"])
    _assert_served(client.get(f"/bank/versions/{version2.id}/files/{NAME}"), GIF, "image/gif")


def test_a_student_fetches_the_files_of_a_question_they_review(client, login, make, world):
    question, version = _question(make)
    db.session.add(new_card(world["lone"].id, question.id, utcnow()))
    db.session.commit()
    login(world["lone"])
    _assert_served(client.get(f"/bank/versions/{version.id}/files/{NAME}"))


def test_a_student_fetches_the_files_of_their_cohorts_live_session(client, login, make, world):
    question, version = _question(make)
    live.create_session(
        world["organiser"],
        "Live",
        [world["cohort"]],
        [live.ItemDraft.question(question.id)],
        live.LiveSettings(),
        utcnow(),
    )
    db.session.commit()
    url = f"/bank/versions/{version.id}/files/{NAME}"
    login(world["student"])
    _assert_served(client.get(url))
    login(world["other_student"])
    assert client.get(url).status_code == 404


def test_an_edit_in_the_bank_keeps_the_texts_images(client, login, world):
    """A new version made by the edit form has no files of its own: it sees version 1's."""
    version2 = bank.revise_question(
        world["question"],
        QuestionDraft(
            type="true_false", text=TEXT + " Edited.", text_format="html", spec={"answer": True}
        ),
    )
    db.session.commit()
    login(world["organiser"])
    page = client.get(f"/organiser/bank/{world['question'].uid}").get_data(as_text=True)
    url = f"/bank/versions/{version2.id}/files/{NAME}"
    assert url in _image_urls(page)
    _assert_served(client.get(url))


def test_the_organisers_question_page_lists_the_files(client, login, world):
    login(world["other_organiser"])
    page = client.get(f"/organiser/bank/{world['question'].uid}").get_data(as_text=True)
    files = page[page.index('id="question-files"') :]
    files = files[: files.index("</section>")]
    assert "Files in the text" in files
    assert "<code>sub/my chart.png</code>" in files
    assert f'href="{world["url"]}"' in files
    assert "<td>PNG</td>" in files
    assert f"<td>{len(IMAGE)} bytes</td>" in files


def test_a_question_without_files_lists_none(client, login, make, world):
    plain = make.choice_question()
    login(world["organiser"])
    page = client.get(f"/organiser/bank/{plain.uid}").get_data(as_text=True)
    assert 'id="question-files"' not in page


def test_serving_a_file_reads_it_in_one_query(client, login, world):
    login(world["student"])
    client.get("/dashboard")  # the session's user is loaded as on every page
    with selects() as seen:
        client.get(world["url"])
    file_queries = [s for s in seen if "stored_files" in s]
    assert len(file_queries) == 1
    assert len(seen) <= 2  # the logged-in user, and the file with its permission


def test_the_route_is_where_rendering_points(app):
    with app.test_request_context():
        assert url_for("bank.question_file", version_id=5, name="sub/my chart.png") == file_url(
            5, "sub/my chart.png"
        )


def test_an_options_image_points_at_the_versions_files(client, login, make, world):
    draft = QuestionDraft(
        type="single_choice",
        text="Which is the chart?",
        text_format="html",
        spec={
            "options": [
                {"text": '<img src="@@PLUGINFILE@@/sub/my%20chart.png" alt="This">', "weight": 100},
                {"text": "None of these", "weight": 0},
            ]
        },
    )
    question = make.question(draft)
    version = bank.current_version(question)
    attach_files(version, [IncomingFile("sub/my chart.png", IMAGE, 1)])
    db.session.commit()
    attempt_id = services.start_attempt(world["student"], make.quiz([question]), utcnow())
    db.session.commit()
    login(world["student"])
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    url = f"/bank/versions/{version.id}/files/{NAME}"
    assert _image_urls(page) == [url]
    _assert_served(client.get(url))
