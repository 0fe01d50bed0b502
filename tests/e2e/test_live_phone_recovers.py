"""A phone whose poll hangs (a half-open connection on shaky Wi-Fi: the request neither
answers nor fails) gives it up and polls again, so it still follows the session."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.e2e.conftest import PHONE
from tests.e2e.helpers import expect, log_in
from tests.e2e.test_live_session import Console, demo_students

pytestmark = pytest.mark.e2e


def test_a_phone_whose_poll_hangs_still_sees_the_next_question(camp, new_page, audit, db_app):
    from camp.accounts.models import Cohort, Role, User
    from camp.db import utcnow
    from camp.extensions import db
    from camp.live import services as live
    from camp.live.models import LiveSession

    organiser = db.session.scalar(select(User).where(User.role == Role.ORGANISER).limit(1))
    cohort = db.session.scalar(select(Cohort).limit(1))
    session = live.create_session(
        organiser,
        "Hanging poll",
        [cohort],
        [live.ItemDraft.poll("Coffee or tea?", ["Coffee", "Tea"], time_limit_s=120)],
        live.LiveSettings(),
        utcnow(),
    )
    db.session.commit()
    code = session.code

    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    console = Console()
    console.watch(phone, "phone")
    log_in(phone, *demo_students(camp)[0], audit)
    phone.goto(f"/live/{code}")
    phone.get_by_role("button", name="Join").click()
    expect(phone.locator("#live-stage")).to_contain_text("Waiting for the host")

    held = []  # the next poll never gets an answer, and never fails either

    def hang_once(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    phone.route("**/state", hang_once)
    for _ in range(50):  # the next poll goes out within about a second
        if held:
            break
        phone.wait_for_timeout(100)
    assert held, "the phone did not poll"
    db.session.rollback()  # a fresh transaction: the server has written since
    live.start(db.session.get(LiveSession, session.id), utcnow())
    db.session.commit()
    # Given up after 8 s, the next poll sees the question: allow for a busy machine.
    expect(phone.locator("#live-stage")).to_contain_text("Coffee or tea?", timeout=20_000)
    console.assert_clean()
