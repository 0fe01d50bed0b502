"""A roster pasted while the room is writing: hashing its one-time passwords (scrypt, tens
of ms each) must not hold SQLite's write lock, or the room's saves time out behind it."""

from __future__ import annotations

import re
import threading
import time

import pytest
from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from camp.accounts.models import Cohort, Role
from camp.extensions import db
from camp.transactions import write_transaction
from tests.accounts.test_views import csrf_token


@pytest.fixture
def app_config(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's single write lock is what this is about")
    # The real password cost, and a busy timeout shorter than hashing a roster takes.
    return {"PASSWORD_HASH_METHOD": "scrypt", "SQLITE_BUSY_TIMEOUT_MS": 150}


def test_pasting_a_roster_lets_the_rooms_writes_through(app, client, make, login):
    organiser = make.user(Role.ORGANISER)
    cohort = make.cohort("Autumn", organiser=organiser)
    other_id = make.cohort("Busy room").id  # the room's thread must not touch our session
    login(organiser)
    url = f"/organiser/cohorts/{cohort.id}"
    token = csrf_token(client, url)
    roster = "\n".join(f"Student {i}, s{i}@example.org" for i in range(12))
    failures: list[BaseException] = []
    writes = 0
    pasting = threading.Event()

    def the_room_writes() -> None:
        nonlocal writes
        with app.app_context():
            pasting.wait(10)
            deadline = time.monotonic() + 1.5
            while time.monotonic() < deadline:
                try:
                    with write_transaction():
                        db.session.execute(
                            update(Cohort)
                            .where(Cohort.id == other_id)
                            .values(name=f"Busy {writes}")
                        )
                    writes += 1
                except OperationalError as error:  # "database is locked"
                    failures.append(error)
                time.sleep(0.01)

    room = threading.Thread(target=the_room_writes)
    room.start()
    pasting.set()
    response = client.post(f"{url}/students", data={"roster": roster, "csrf_token": token})
    room.join(30)

    assert response.status_code == 200
    assert len(re.findall(r"<code>([A-Z0-9-]{14})</code>", response.get_data(as_text=True))) == 12
    assert failures == [] and writes > 0
