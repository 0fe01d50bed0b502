"""Every rule in app.url_map, walked as each kind of user: a new route nobody classified fails.

Each endpoint is classified once below. The test fills URL arguments from a small world:
cohort A run by the organiser, with the student in it and a pre/post pair; cohort B run by a
second organiser, with a student of its own; a student in no cohort; an admin. The sample
quiz has a window for cohort A only (open now), so only cohort A's members may take it. The
pages that also answer `?format=csv` are walked a second time with it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from camp.accounts.models import Role
from camp.bank import services as bank
from camp.bank.question_files import IncomingFile, attach_files
from camp.certificates.documents import public_identifier
from camp.certificates.issuing import issue_by_hand
from camp.db import utcnow
from camp.extensions import db
from camp.gain.models import PrePostPair
from camp.live import board
from camp.live import services as live
from camp.live.models import LiveItem
from camp.quizzes import attempts, services
from camp.quizzes.models import Attempt, QuizWindow
from tests.bank.images import png

PUBLIC = "public"  # anyone, logged in or not
LOGGED_IN = "logged_in"  # any logged-in user
ORGANISER = "organiser"  # organisers and admins
COHORT = "cohort"  # admins and the organisers who run that cohort
ADMIN = "admin"  # admins only
OWNER = "owner"  # only the student whose attempt it is (others: 403 or 404)
FOLLOWERS = "followers"  # that student, organisers of their cohort, admins
TAKERS = "takers"  # members of a cohort the quiz has a window for (cohort A)
LIVE_MEMBERS = "live_members"  # members of the live session's cohort (A), and its hosts
# A question version's embedded file: organisers and admins (they share the bank), and the
# students it was shown to (the sample version is on the student's attempt); others: 404.
FILE_VIEWERS = "file_viewers"

ACCESS: dict[str, str] = {
    "static": PUBLIC,
    "health.healthz": PUBLIC,
    "accounts.index": PUBLIC,
    "accounts.login": PUBLIC,
    "accounts.logout": PUBLIC,
    "accounts.join": PUBLIC,
    "accounts.dashboard": LOGGED_IN,
    "accounts.account": LOGGED_IN,
    "accounts.logout_everywhere": LOGGED_IN,
    "accounts.set_language": PUBLIC,
    "accounts.organiser.home": ORGANISER,
    "accounts.organiser.cohorts": ORGANISER,
    "accounts.organiser.cohort": COHORT,
    "accounts.organiser.regenerate_code": COHORT,
    "accounts.organiser.remove_member": COHORT,
    "accounts.organiser.add_students": COHORT,
    "accounts.admin.home": ADMIN,
    "accounts.admin.users": ADMIN,
    "accounts.admin.toggle_active": ADMIN,
    "accounts.admin.audit_log": ADMIN,
    "accounts.admin.reset_password": ADMIN,
    "accounts.organiser.reset_password": COHORT,
    "authoring.bank.browse": ORGANISER,
    "authoring.bank.new": ORGANISER,
    "authoring.bank.edit": ORGANISER,
    "authoring.bank.question": ORGANISER,
    "authoring.bank.versions": ORGANISER,
    "authoring.bank.retire": ORGANISER,
    "authoring.bank.restore": ORGANISER,
    "authoring.bank.import_gift": ORGANISER,
    "authoring.bank.import_confirm": ORGANISER,
    "authoring.bank.export": ORGANISER,
    "bank.question_file": FILE_VIEWERS,
    "lessons.modules": LOGGED_IN,
    "lessons.lesson": LOGGED_IN,
    "lessons.mark_read": LOGGED_IN,
    "reports.progress": LOGGED_IN,
    "reports.cohort_report": COHORT,
    "reports.student": COHORT,
    "reports.quiz_stats": ORGANISER,
    "quizzes.module_quiz": LOGGED_IN,
    "quizzes.quiz_page": TAKERS,
    "quizzes.start": TAKERS,
    "quizzes.attempt_page": OWNER,
    "quizzes.autosave": OWNER,
    "quizzes.summary": OWNER,
    "quizzes.submit": OWNER,
    "quizzes.review": FOLLOWERS,
    "authoring.quizzes.quizzes": ORGANISER,
    "authoring.quizzes.quiz": ORGANISER,
    "authoring.quizzes.add_fixed": ORGANISER,
    "authoring.quizzes.add_random": ORGANISER,
    "authoring.quizzes.slot_action": ORGANISER,
    "authoring.grading.regrade": ORGANISER,
    "authoring.grading.full_marks": ORGANISER,
    "authoring.quizzes.access": ORGANISER,
    "authoring.quizzes.set_window": COHORT,
    "authoring.quizzes.remove_override": COHORT,
    "authoring.grading.grading_queue": ORGANISER,
    # Any organiser may open the grading page, but only for students of cohorts they run:
    # the sample essay is by a student of cohort A, so it behaves like a cohort page.
    "authoring.grading.grade": COHORT,
    # Live sessions: the sample session is for cohort A, hosted by its organiser, no guests.
    "live.phone.join_page": PUBLIC,
    "live.phone.join": PUBLIC,
    "live.phone.phone": LIVE_MEMBERS,
    "live.phone.stage": LIVE_MEMBERS,
    "live.phone.state": LIVE_MEMBERS,
    "live.phone.answer": LIVE_MEMBERS,
    "live.board.board_fragment": LIVE_MEMBERS,
    "live.board.post": LIVE_MEMBERS,
    "live.board.vote": LIVE_MEMBERS,
    "live.host.present": COHORT,
    "live.host.present_stage": COHORT,
    "live.host.present_state": COHORT,
    "live.host.control": COHORT,
    "live.organiser.sessions": ORGANISER,
    "live.organiser.session": COHORT,
    "live.organiser.item_timing": COHORT,
    "live.organiser.board_settings": COHORT,
    "live.organiser.moderate": COHORT,
    "live.organiser.session_results": COHORT,
    "gain.gain": COHORT,
    "gain.pair": COHORT,
    "gain.build": COHORT,
    # Certificates: the sample certificates are the student's and the spare member's, of
    # cohort A. Checking a number is public; a student's own certificate is theirs alone.
    "certificates.public.lookup": PUBLIC,
    "certificates.public.verify": PUBLIC,
    "certificates.public.get_mine": OWNER,
    "certificates.public.download_mine": OWNER,
    "certificates.organiser.page": COHORT,
    "certificates.organiser.set_certificate_rule": COHORT,
    "certificates.organiser.issue_to_all": COHORT,
    "certificates.organiser.issue_one": COHORT,
    "certificates.organiser.revoke_one": COHORT,
    "certificates.organiser.download_one": COHORT,
    "certificates.organiser.download_all": COHORT,
    # A student's own review; anyone else logged in is told review is not on for them.
    "review.student.review": LOGGED_IN,
    "review.student.answer": LOGGED_IN,
    "review.student.keep_going": LOGGED_IN,
    "review.organiser.settings": COHORT,
}

_ENDS_SESSIONS = {"accounts.logout", "accounts.logout_everywhere"}
# The pages that serve their data as CSV at the same address with `?format=csv`.
CSV_ENDPOINTS = (
    "reports.progress",
    "reports.cohort_report",
    "reports.student",
    "reports.quiz_stats",
    "live.organiser.session_results",
    "gain.gain",
)
VISITORS = [
    "anonymous",
    "student",
    "other_student",  # a student of cohort B
    "lone_student",  # a student in no cohort
    "organiser",
    "other_organiser",  # runs cohort B
    "admin",
]

ALLOWED = {
    PUBLIC: set(VISITORS),
    LOGGED_IN: set(VISITORS) - {"anonymous"},
    ORGANISER: {"organiser", "other_organiser", "admin"},
    COHORT: {"organiser", "admin"},
    ADMIN: {"admin"},
    OWNER: {"student"},
    FOLLOWERS: {"student", "organiser", "admin"},
    TAKERS: {"student", "organiser"},
    LIVE_MEMBERS: {"student", "organiser", "admin"},
    FILE_VIEWERS: {"student", "organiser", "other_organiser", "admin"},
}


@pytest.fixture
def app_config():
    # Forms post empty here; CSRF has its own tests.
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}


@pytest.fixture
def world(app, make):
    organiser = make.user(Role.ORGANISER)
    other = make.user(Role.ORGANISER)
    admin = make.user(Role.ADMIN)
    student = make.user()
    cohort = make.cohort("Run by A", organiser=organiser)
    cohort_b = make.cohort("Run by B", organiser=other)
    make.member(cohort, student)
    other_student = make.user()
    make.member(cohort_b, other_student)
    lone_student = make.user()
    spare = make.user()
    make.member(cohort, spare)
    module = make.module()
    draft = bank.QuestionDraft(type="true_false", text="Logos are marks.", spec={"answer": True})
    question = bank.create_question(draft, category=bank.ensure_category("Permissions"))
    version = bank.current_version(question)  # with a file (its text need not show it)
    attach_files(version, [IncomingFile("/logo.png", png(), 1)])
    db.session.commit()
    quiz = make.quiz([question])
    module_quiz = make.quiz([question], module_id=module.id)
    attempt_id = services.start_attempt(student, quiz, utcnow())
    db.session.commit()
    _keep_window(quiz.id, cohort.id)
    assert module_quiz.id
    essay = make.question(bank.QuestionDraft(type="essay", text="Explain.", spec={}))
    essay_quiz = make.quiz([essay])
    essay_attempt = db.session.get(Attempt, services.start_attempt(student, essay_quiz, utcnow()))
    attempts.submit_attempt(essay_attempt, utcnow())
    db.session.commit()
    live_session, post = _live_session(organiser, cohort, spare, question)
    certificate = issue_by_hand(cohort, student.id, organiser, "The route matrix")
    issue_by_hand(cohort, spare.id, organiser, "The route matrix")
    # A pre/post pair, so that the gain page shows its report and serves its CSV.
    pre_test, post_test = make.quiz([make.choice_question()]), make.quiz([make.choice_question()])
    db.session.add(
        PrePostPair(cohort_id=cohort.id, pre_quiz_id=pre_test.id, post_quiz_id=post_test.id)
    )
    db.session.commit()
    return {
        "users": {
            "student": student,
            "other_student": other_student,
            "lone_student": lone_student,
            "organiser": organiser,
            "other_organiser": other,
            "admin": admin,
        },
        "window": (quiz.id, cohort.id),
        "args": {
            "cohort_id": cohort.id,
            "user_id": spare.id,
            "filename": "camp.css",
            "slug": module.slug,
            "uid": question.uid,
            "quiz_id": quiz.id,
            "attempt_id": attempt_id,
            "question_uid": question.uid,
            "student_id": student.id,
            "attempt_question_id": essay_attempt.questions[0].id,
            "code": live_session.code,
            "session_id": live_session.id,
            "item_id": live_session_item(live_session),
            "post_id": post.id,
            "identifier": public_identifier(certificate),
            "version_id": version.id,
            "name": "logo.png",
        },
    }


def _live_session(organiser, cohort, member, question):
    """A live session for cohort A with one question, a participant and a board post."""
    session = live.create_session(
        organiser,
        "Live",
        [cohort],
        [live.ItemDraft.question(question.id)],
        live.LiveSettings(board_moderated=False),
        utcnow(),
    )
    participant, _token = live.join(session, user=member, now=utcnow())
    post = board.post_question(participant, "Why?", anonymous=False, now=utcnow())
    db.session.commit()
    return session, post


def live_session_item(session) -> int:
    return db.session.scalar(select(LiveItem.id).where(LiveItem.session_id == session.id))


def _keep_window(quiz_id: int, cohort_id: int) -> None:
    """The sample quiz's window for cohort A, open since yesterday: put back after each
    request, since walking the window routes may change or remove it."""
    db.session.rollback()
    window = db.session.scalar(
        select(QuizWindow).where(QuizWindow.quiz_id == quiz_id, QuizWindow.cohort_id == cohort_id)
    )
    if window is None:
        window = QuizWindow(quiz_id=quiz_id, cohort_id=cohort_id)
        db.session.add(window)
    window.opens_at, window.closes_at = utcnow() - timedelta(days=1), None
    db.session.commit()


def _rules(app):
    return [rule for rule in app.url_map.iter_rules()]


def test_every_route_is_classified(app):
    unclassified = sorted({r.endpoint for r in _rules(app)} - ACCESS.keys())
    assert not unclassified, f"classify these endpoints in ACCESS: {unclassified}"


def _allowed_answer(visitor: str, kind: str, endpoint: str, response) -> bool:
    """Whether `visitor` got what `kind` of route gives them."""
    status = response.status_code
    if visitor in ALLOWED[kind]:
        ok = status < 400 or status == 400  # 400: an empty form re-rendered with errors
        sent_to_login = status == 302 and "/login" in response.location
        return ok and not (
            visitor != "anonymous" and sent_to_login and endpoint not in _ENDS_SESSIONS
        )
    if visitor == "anonymous":
        return status == 302 and response.location.startswith("/login?next=")
    if kind in (OWNER, FOLLOWERS):
        return status in (403, 404)
    if kind == FILE_VIEWERS:
        return status == 404  # not 403: whether the file exists does not leak
    return status == 403


@pytest.mark.parametrize("visitor", VISITORS)
def test_route_access_matrix(app, client, login, world, visitor):
    failures = []
    if visitor != "anonymous":
        login(world["users"][visitor])
    for rule in _rules(app):
        kind = ACCESS.get(rule.endpoint)
        if kind is None:
            continue
        missing = set(rule.arguments) - world["args"].keys()
        assert not missing, f"{rule.rule}: give a sample value for {missing}"
        url = rule.build(world["args"])[1]
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        response.close()
        if not _allowed_answer(visitor, kind, rule.endpoint, response):
            failures.append(f"{method} {url} as {visitor}: {response.status_code}")
        _keep_window(*world["window"])
        if visitor != "anonymous" and rule.endpoint in _ENDS_SESSIONS:
            user = world["users"][visitor]
            db.session.refresh(user)  # a new session generation
            login(user)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("visitor", VISITORS)
def test_csv_exports_follow_their_pages_rules(app, client, login, world, visitor):
    if visitor != "anonymous":
        login(world["users"][visitor])
    failures, walked = [], set()
    for rule in _rules(app):
        if rule.endpoint not in CSV_ENDPOINTS or "GET" not in rule.methods:
            continue
        walked.add(rule.endpoint)
        url = rule.build({**world["args"], "format": "csv"})[1]
        response = client.get(url)
        response.close()
        allowed = visitor in ALLOWED[ACCESS[rule.endpoint]]
        is_csv = response.mimetype == "text/csv"
        if not _allowed_answer(visitor, ACCESS[rule.endpoint], rule.endpoint, response) or (
            allowed and not is_csv
        ):
            failures.append(f"GET {url} as {visitor}: {response.status_code} {response.mimetype}")
    assert walked == set(CSV_ENDPOINTS)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("visitor", VISITORS)
def test_the_bank_as_moodle_xml_follows_the_exports_rules(app, client, login, world, visitor):
    """`?format=moodle-xml` at the bank's export address: organisers (and admins) get the
    XML, everyone else what the GIFT export gives them."""
    if visitor != "anonymous":
        login(world["users"][visitor])
    rule = next(r for r in _rules(app) if r.endpoint == "authoring.bank.export")
    url = rule.build({**world["args"], "format": "moodle-xml"})[1]
    response = client.get(url)
    response.close()
    access = ACCESS[rule.endpoint]
    assert _allowed_answer(visitor, access, rule.endpoint, response), response.status_code
    if visitor in ALLOWED[access]:
        assert response.mimetype == "application/xml"
