"""The real server under faults and a crowd: SIGKILL mid-quiz loses nothing, simultaneous
submits/starts/saves keep the invariants, and a backup taken while serving restores.

Runs on SQLite by default and on PostgreSQL with CAMP_TEST_DATABASE_URL (CI does both).
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from threading import Barrier

import pytest
import requests
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from camp.accounts import services as accounts
from camp.accounts.models import User
from camp.extensions import db
from camp.quizzes.models import Attempt, AttemptQuestion, AttemptState, ResponseLog
from tests.conftest import fresh_database_url, is_postgres, make_app
from tests.support.server import CampServer, csrf_token, log_in

pytestmark = pytest.mark.slow
PASSWORD = "a-long-pass"


@pytest.fixture
def server(database_url, tmp_path):
    server = CampServer(
        database_url=fresh_database_url(database_url, tmp_path, "resilience"),
        instance_path=tmp_path / "instance",
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def db_app(server, tmp_path):
    """An app on the server's database, for setting up rows and checking them."""
    app = make_app(server.database_url, tmp_path / "checker")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def make_students(count: int) -> list[str]:
    emails = [f"crowd{i}@example.org" for i in range(count)]
    for email in emails:
        accounts.create_user(email=email, display_name=email, password=PASSWORD)
    db.session.commit()
    return emails


def student_session(server, email):
    session = requests.Session()
    assert log_in(session, server.url, email, PASSWORD).status_code == 200
    return session


def quiz_start_url(session, server, slug="why-ip-matters"):
    page = session.get(f"{server.url}/modules/{slug}/quiz", timeout=10).text
    return server.url + re.search(r'action="(/quizzes/\d+/start)"', page).group(1), csrf_token(page)


def start_attempt(session, server):
    url, token = quiz_start_url(session, server)
    response = session.post(url, data={"csrf_token": token}, timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response.url.split("?")[0]


def answer_page(session, attempt_url, page):
    html = session.get(f"{attempt_url}?page={page}", timeout=10).text
    data = {
        "csrf_token": csrf_token(html),
        "go": "next",
        "positions": re.findall(r'name="positions" value="(\d+)"', html),
    }
    radios = re.findall(r'type="radio" id="[^"]+" name="(q\d+)" value="([0-9a-f]{12}|true)"', html)
    texts = re.findall(r'<input type="text"[^>]* name="(q\d+)"', html)
    selects = re.findall(r'<select id="[^"]+" name="(q\d+-\d+)"', html)
    boxes = re.findall(r'type="checkbox" id="[^"]+" name="(q\d+)" value="([0-9a-f]{12})"', html)
    for name, value in radios[:1] + boxes[:1]:
        data[name] = value
    for name in texts:
        data[name] = "20"
    for name in selects:
        pattern = rf'name="{name}"[^>]*>.*?<option value="([0-9a-f]+)"'
        data[name] = re.findall(pattern, html, re.DOTALL)[0]
    response = session.post(f"{attempt_url}?page={page}", data=data, timeout=30)
    assert response.status_code == 200, response.text[:300]
    return data


def seconds_left(session, attempt_url):
    html = session.get(attempt_url, timeout=10).text
    return int(re.search(r'data-seconds-left="(\d+)"', html).group(1))


def test_sigkill_mid_quiz_loses_no_saved_answer_and_the_clock_keeps_running(server, db_app):
    [email] = make_students(1)
    session = student_session(server, email)
    attempt_url = start_attempt(session, server)
    for page in (1, 2, 3):
        answer_page(session, attempt_url, page)
    before = seconds_left(session, attempt_url)
    server.kill()
    time.sleep(3)
    server.output.clear()
    server.start()
    session = student_session(server, email)  # a fresh login, as after closing the browser
    assert seconds_left(session, attempt_url) <= before - 3
    summary = session.get(f"{attempt_url}/summary", timeout=10).text
    assert summary.count("Answer saved") == 3
    attempt_id = int(attempt_url.rsplit("/", 1)[1])
    answered = db.session.scalar(
        select(func.count()).where(
            AttemptQuestion.attempt_id == attempt_id, AttemptQuestion.answered
        )
    )
    assert answered == 3


def test_twenty_simultaneous_submits_give_one_grade_and_no_error(server, db_app):
    [email] = make_students(1)
    session = student_session(server, email)
    attempt_url = start_attempt(session, server)
    answer_page(session, attempt_url, 1)
    token = csrf_token(session.get(f"{attempt_url}/summary", timeout=10).text)
    barrier = Barrier(20)

    def submit(_):
        barrier.wait()
        return session.post(f"{attempt_url}/submit", data={"csrf_token": token}, timeout=60)

    with ThreadPoolExecutor(20) as pool:
        responses = list(pool.map(submit, range(20)))
    assert [r.status_code for r in responses] == [200] * 20
    assert all(r.url.endswith("/review") for r in responses)
    attempt = db.session.get(Attempt, int(attempt_url.rsplit("/", 1)[1]))
    assert attempt.state == AttemptState.SUBMITTED and attempt.score is not None


def test_twenty_simultaneous_starts_give_one_attempt(server, db_app):
    [email] = make_students(1)
    session = student_session(server, email)
    url, token = quiz_start_url(session, server)
    barrier = Barrier(20)

    def start(_):
        barrier.wait()
        return session.post(url, data={"csrf_token": token}, timeout=60)

    with ThreadPoolExecutor(20) as pool:
        responses = list(pool.map(start, range(20)))
    assert [r.status_code for r in responses] == [200] * 20
    assert len({r.url for r in responses}) == 1
    assert db.session.scalar(select(func.count(Attempt.id))) == 1


def test_fifty_students_saving_at_once_lose_nothing(server, db_app):
    emails = make_students(50)
    sessions = [student_session(server, email) for email in emails]
    urls = [start_attempt(s, server) for s in sessions]
    barrier = Barrier(50)

    def save(index):
        barrier.wait()
        return answer_page(sessions[index], urls[index], 1)

    with ThreadPoolExecutor(50) as pool:
        try:
            list(pool.map(save, range(50)))
        except AssertionError:
            print("".join(server.output[-80:]))
            raise
    db.session.expire_all()
    answered = db.session.scalar(
        select(func.count()).where(AttemptQuestion.position == 1, AttemptQuestion.answered)
    )
    assert answered == 50
    assert db.session.scalar(select(func.count(ResponseLog.id))) >= 50


def test_backup_while_serving_restores_every_attempt(server, db_app, tmp_path):
    emails = make_students(3)
    for email in emails:
        session = student_session(server, email)
        answer_page(session, start_attempt(session, server), 1)
    target = tmp_path / "backup" / "camp-backup.sqlite3"
    result = server.run("backup", str(target))
    if is_postgres(server.database_url):
        assert result.returncode == 1 and "pg_dump" in result.stderr
        return
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(target) as restored:
        rows = restored.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]
        saved = restored.execute(
            "SELECT COUNT(*) FROM attempt_questions WHERE answered"
        ).fetchone()[0]
    assert rows == 3 and saved == 3
    # The restored file is a working Camp database.
    app = make_app("sqlite:///" + str(target), tmp_path / "restored")
    with app.app_context():
        assert db.session.scalar(select(func.count(Attempt.id))) == 3
        db.session.remove()
        db.engine.dispose()


@contextmanager
def room_with_real_passwords(
    database_url: str, tmp_path, name: str, count: int, *, must_change: bool = False
) -> Iterator[tuple[CampServer, list[str]]]:
    """`camp up` with a busy timeout shorter than queueing behind a few password checks,
    and `count` students whose passwords have the real (default) scrypt cost. Yields the
    server and their emails inside an app context on its database."""
    server = CampServer(
        database_url=fresh_database_url(database_url, tmp_path, name),
        instance_path=tmp_path / "instance",
        extra_env={"CAMP_SQLITE_BUSY_TIMEOUT_MS": "150"},
    )
    server.start()
    try:
        app = make_app(server.database_url, tmp_path / "checker")
        with app.app_context():
            emails = make_students(count)
            real_hash = generate_password_hash(PASSWORD, "scrypt")
            for user in db.session.scalars(select(User).where(User.email.in_(emails))):
                user.password_hash = real_hash
                user.must_change_password = must_change
            db.session.commit()
            yield server, emails
            db.session.remove()
            db.engine.dispose()
    finally:
        server.stop()


def test_a_room_logging_in_at_once_all_get_in(database_url, tmp_path):
    """Checking a password takes real time (scrypt); no login may hold the database's
    write lock meanwhile, or a room of logins queues and the last ones fail."""
    with room_with_real_passwords(database_url, tmp_path, "logins", 12) as (server, emails):
        gate = Barrier(len(emails))

        def log_in_with_the_room(email: str) -> int:
            session = requests.Session()
            page = session.get(server.url + "/login", timeout=30).text
            gate.wait()
            return session.post(
                server.url + "/login",
                data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(page)},
                allow_redirects=False,
                timeout=60,
            ).status_code

        with ThreadPoolExecutor(len(emails)) as pool:
            statuses = list(pool.map(log_in_with_the_room, emails))
        assert statuses == [302] * len(emails)


def test_a_room_changing_its_one_time_passwords_at_once_all_succeed(database_url, tmp_path):
    """First login with an organiser's one-time password forces a change: the whole room
    does it in the same minute, and hashing must not hold the database's write lock."""
    with room_with_real_passwords(database_url, tmp_path, "changes", 10, must_change=True) as (
        server,
        emails,
    ):
        sessions = [student_session(server, email) for email in emails]
        gate = Barrier(len(sessions))

        def change(session: requests.Session) -> int:
            page = session.get(server.url + "/account", timeout=30).text
            gate.wait()
            return session.post(
                server.url + "/account",
                data={
                    "current_password": PASSWORD,
                    "new_password": "a-brand-new-pass-42",
                    "confirm_password": "a-brand-new-pass-42",
                    "csrf_token": csrf_token(page),
                },
                allow_redirects=False,
                timeout=60,
            ).status_code

        with ThreadPoolExecutor(len(sessions)) as pool:
            statuses = list(pool.map(change, sessions))
        assert statuses == [302] * len(sessions)
        db.session.expire_all()
        crowd = db.session.scalars(select(User).where(User.email.in_(emails))).all()
        assert len(crowd) == len(emails) and not any(u.must_change_password for u in crowd)


def test_opening_overdue_attempts_while_fifty_students_save_gives_no_error(server, db_app):
    """Opening an overdue attempt closes it: a GET that writes. Under a room's saves that
    write must wait its turn for the lock like any other, not fail ("database is locked")."""
    savers = make_students(50)
    late = [f"late{i}@example.org" for i in range(10)]
    for email in late:
        accounts.create_user(email=email, display_name=email, password=PASSWORD)
    db.session.commit()
    saver_sessions = [student_session(server, email) for email in savers]
    saver_urls = [start_attempt(s, server) for s in saver_sessions]
    late_sessions = [student_session(server, email) for email in late]
    late_urls = [start_attempt(s, server) for s in late_sessions]
    for session, url in zip(late_sessions, late_urls, strict=True):
        answer_page(session, url, 1)
    late_ids = [int(url.rsplit("/", 1)[1]) for url in late_urls]
    past = db.session.scalar(select(func.min(Attempt.started_at))) - timedelta(hours=1)
    db.session.execute(
        Attempt.__table__.update().where(Attempt.id.in_(late_ids)).values(deadline=past)
    )
    db.session.commit()
    barrier = Barrier(60)

    def save(index):
        barrier.wait()
        for page in (1, 2):
            answer_page(saver_sessions[index], saver_urls[index], page)
        return 200

    def open_overdue(index):
        session, url = late_sessions[index], late_urls[index]
        barrier.wait()
        statuses = []
        for path in ("/summary", "/review", ""):
            response = session.get(f"{url}{path}", timeout=60, allow_redirects=False)
            statuses.append(response.status_code)
        return max(statuses)

    with ThreadPoolExecutor(60) as pool:
        saved = pool.map(save, range(50))
        opened = pool.map(open_overdue, range(10))
        results = list(saved) + list(opened)
    assert all(status < 500 for status in results), results
    db.session.expire_all()
    states = db.session.scalars(select(Attempt.state).where(Attempt.id.in_(late_ids))).all()
    assert states == [AttemptState.SUBMITTED] * 10
