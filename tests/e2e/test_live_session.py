"""A live session in real browsers: the organiser creates it through the form and runs it
from the presenter view, three phones (two students and a guest) join and play. One phone
loses the network mid-question, answers while offline, comes back, and its answer is
counted once, even though the first send after the reconnection reaches the server and
its reply is lost. The phone and presenter views are axe-clean, and no page logs an error.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from tests.e2e.conftest import PHONE
from tests.e2e.helpers import assert_fits_a_phone, expect, log_in

pytestmark = pytest.mark.e2e

QUESTION_UID = "ipv-06"  # a single-choice question of the demo content ("Why IP matters")
POLL = ("Coffee or tea?", "Coffee", "Tea")
LIVE = 15_000  # ms to wait for what a phone or the projector polls in (about every second)
SECONDS = 60  # per question: far longer than the test needs, so it never races the clock
GUEST = "Kim"
OFFLINE_NOTE = "No connection. Your answer is kept and sent when the connection is back."
# What a phone without a network, or whose reply was cut off, logs: expected on that phone.
NETWORK_ERROR = re.compile(
    r"^Failed to load resource: net::ERR_(INTERNET_DISCONNECTED|CONNECTION_RESET)\b"
)


@dataclass
class Console:
    """Errors the pages log (script errors, CSP refusals, failed loads); each page may be
    allowed a pattern of errors it is expected to log."""

    errors: list[str] = field(default_factory=list)

    def watch(self, page, name: str, allowed: re.Pattern[str] | None = None) -> None:
        def on_console(message) -> None:
            if message.type != "error":
                return
            if (message.location or {}).get("url", "").endswith("/favicon.ico"):
                return  # Camp has no icon; browsers ask for one anyway
            if allowed is not None and allowed.search(message.text):
                return
            self.errors.append(f"{name} {page.url}: {message.text} {message.location}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(f"{name} {page.url}: {error}"))

    def assert_clean(self) -> None:
        assert not self.errors, "the pages logged errors:\n" + "\n".join(self.errors)


def demo_students(camp) -> list[tuple[str, str]]:
    """Every demo student's (email, password), as `camp up` printed them."""
    output = "".join(camp.server.output)
    return re.findall(r"^\s+student\s+(\S+@\S+)\s+password: (\S+)$", output, re.MULTILINE)


@pytest.fixture
def question(db_app):
    """The demo question asked first: its right option and a wrong one (read from the bank,
    so the test follows the content)."""
    from camp.bank.models import Question, QuestionVersion
    from camp.extensions import db

    spec = db.session.scalar(
        select(QuestionVersion.spec)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(Question.uid == QUESTION_UID)
        .order_by(QuestionVersion.number.desc())
        .limit(1)
    )
    assert spec is not None, f"the demo content has no question {QUESTION_UID}"
    db.session.rollback()
    right = next(o["text"] for o in spec["options"] if o["weight"] == 100)
    wrong = next(o["text"] for o in spec["options"] if o["weight"] == 0)
    return right, wrong


def display_name(db, email: str) -> str:
    from camp.accounts.models import User

    return db.session.scalar(select(User.display_name).where(User.email == email))


def stored_answers(db, session_id: int, email: str) -> list:
    """The answers stored for the participant who is the user with `email` (read in a new
    transaction, so that it sees what the server has written)."""
    from camp.accounts.models import User
    from camp.live.models import LiveAnswer, LiveParticipant

    db.session.rollback()
    return list(
        db.session.scalars(
            select(LiveAnswer)
            .join(LiveParticipant, LiveParticipant.id == LiveAnswer.participant_id)
            .join(User, User.id == LiveParticipant.user_id)
            .where(LiveParticipant.session_id == session_id, User.email == email)
        )
    )


def stage(page):
    return page.locator("#live-stage")


def option(page, text: str):
    return stage(page).get_by_role("button", name=re.compile(re.escape(text)))


KEPT = """() => Object.keys(localStorage)
  .filter(key => key.startsWith('camp-live-answer:'))
  .map(key => JSON.parse(localStorage.getItem(key)))"""
NOTHING_KEPT = f"() => ({KEPT})().length === 0"


def pending_answers(page) -> list[dict]:
    """The answers live-phone.js keeps in localStorage until the server acknowledges them."""
    return page.evaluate(KEPT)


@pytest.fixture
def patient():
    """Expectations that wait as long as a poll (about a second) may take on a busy machine."""
    expect.set_options(timeout=LIVE)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default, for the tests that follow


def test_a_room_plays_a_live_session_and_an_answer_sent_offline_counts_once(
    camp, new_page, audit, db_app, question, patient
):
    from camp.extensions import db
    from camp.live.models import LiveAnswer, LiveItem, LiveParticipant, LiveSession

    right, wrong = question
    console = Console()
    students = demo_students(camp)
    assert len(students) >= 2, students

    # The organiser creates the session through the form ------------------------------
    presenter = new_page()
    console.watch(presenter, "presenter")
    log_in(presenter, *camp.login("organiser"), audit)
    presenter.get_by_role("link", name="Live sessions").click()
    expect(presenter.get_by_role("heading", name="Create a live session")).to_be_visible()
    audit.check(presenter)
    presenter.get_by_role("textbox", name="Title").fill("Friday live quiz")
    presenter.get_by_role("checkbox", name="Demo cohort").check()
    presenter.get_by_role("radio", name="Questions picked by their ids").check()
    presenter.get_by_role("textbox", name="Question ids").fill(QUESTION_UID)
    presenter.get_by_role("textbox", name="Polls and open questions").fill(
        "poll: " + " | ".join(POLL)
    )
    presenter.get_by_role("spinbutton", name="Seconds per question").fill(str(SECONDS))
    presenter.get_by_role("checkbox", name="Guests may join with a nickname").check()
    presenter.get_by_role("button", name="Create live session").click()
    expect(presenter.get_by_role("heading", name="Friday live quiz", level=1)).to_be_visible()
    audit.check(presenter)
    session_id = int(re.search(r"/organiser/live/(\d+)$", presenter.url).group(1))

    presenter.get_by_role("link", name="Open the presenter view").click()
    expect(presenter.get_by_text("Waiting to start")).to_be_visible()
    code = presenter.locator(".present-code strong").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{3}", code), code
    compact = code.replace("-", "")
    expect(presenter).to_have_url(re.compile(rf"/live/{compact}/present$"))
    join_path = urlsplit(presenter.locator(".present-address").inner_text().strip()).path
    assert join_path == f"/live/{compact}"
    expect(presenter.get_by_role("img", name="QR code of the join address")).to_be_visible()
    audit.check(presenter)
    joined = presenter.locator('[data-count="joined"]')
    expect(joined).to_have_text("0")

    # Three phones join: a student who types the code loosely, a guest who opens the join
    # address and picks a nickname, and a student who opens the join address -------------
    phones = []
    for number in (1, 2, 3):
        phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
        console.watch(phone, f"phone {number}", NETWORK_ERROR if number == 3 else None)
        phones.append(phone)
    phone1, phone2, phone3 = phones

    log_in(phone1, *students[0], audit)
    phone1.goto("/live")
    expect(phone1.get_by_role("heading", name="Join a live session")).to_be_visible()
    audit.check(phone1)
    assert_fits_a_phone(phone1)
    phone1.get_by_role("textbox", name="Session code").fill(" " + code.lower().replace("-", " "))
    phone1.get_by_role("button", name="Join").click()
    expect(phone1).to_have_url(re.compile(rf"/live/{compact}$"))
    expect(stage(phone1)).to_contain_text("Waiting for the host to start")
    audit.check(phone1)
    assert_fits_a_phone(phone1)

    phone2.goto(join_path)
    expect(phone2.get_by_role("heading", name="Friday live quiz")).to_be_visible()
    audit.check(phone2)  # the session's page as the join form (same address: audited again)
    assert_fits_a_phone(phone2)
    phone2.get_by_role("textbox", name="Nickname").fill(GUEST)
    phone2.get_by_role("button", name="Join").click()
    expect(phone2.get_by_text(f"You: {GUEST}")).to_be_visible()
    expect(stage(phone2)).to_contain_text("Waiting for the host to start")

    log_in(phone3, *students[1], audit)
    phone3.goto(join_path)
    expect(phone3.get_by_role("textbox", name="Nickname")).to_have_count(0)  # a member
    phone3.get_by_role("button", name="Join").click()
    expect(stage(phone3)).to_contain_text("Waiting for the host to start")
    expect(joined).to_have_text("3")

    # Question 1: everyone sees it --------------------------------------------------------
    presenter.get_by_role("button", name="Start").click()
    expect(presenter.get_by_text("Question 1 of 2")).to_be_visible()
    reveal_button = presenter.get_by_role("button", name="Reveal the answer")
    expect(reveal_button).to_be_visible()
    answers = presenter.locator('[data-count="answers"]')
    expect(answers).to_have_text("0")
    for phone in phones:
        expect(stage(phone)).to_contain_text("Question 1 of 2")
        expect(option(phone, right)).to_be_enabled()
    audit.check(presenter)  # the presenter with a question on screen
    audit.check(phone1)  # …and a phone (the key is the session page's: checked again)
    assert_fits_a_phone(phone1)

    option(phone1, right).click()
    expect(stage(phone1)).to_contain_text(f"Answer received: {right}")
    option(phone2, wrong).click()
    expect(stage(phone2)).to_contain_text(f"Answer received: {wrong}")
    expect(answers).to_have_text("2")

    # Phone 3 loses the network, answers, and the page keeps the answer ------------------
    phone3.context.set_offline(True)
    connection = phone3.locator("[data-connection]")
    expect(connection).to_have_text(OFFLINE_NOTE)
    option(phone3, right).click()
    expect(stage(phone3).locator("[data-sending]")).to_have_text(OFFLINE_NOTE)
    expect(option(phone3, right)).to_be_disabled()
    kept = pending_answers(phone3)
    assert len(kept) == 1, kept
    kept_key = parse_qs(kept[0]["body"])["key"][0]
    audit.check(phone3)  # the phone with the offline notes showing
    assert_fits_a_phone(phone3)
    assert stored_answers(db, session_id, students[1][0]) == []  # nothing reached the server

    # It comes back; the first send reaches the server but its reply is lost (a dropped
    # connection), so the phone sends the same answer, with the same key, again.
    back_online, sent, replies_lost = [], [], []

    def lose_the_first_reply(route) -> None:
        sent.append(parse_qs(route.request.post_data or "")["key"][0])
        if not back_online:  # still offline: what the network would do
            route.abort("internetdisconnected")
        elif not replies_lost:
            replies_lost.append(route.fetch().status)  # the server has stored it…
            route.abort("connectionreset")  # …and the phone never hears so
        else:
            route.continue_()

    phone3.route(f"**/live/{compact}/answer", lose_the_first_reply)
    back_online.append(True)
    phone3.context.set_offline(False)
    expect(stage(phone3)).to_contain_text(f"Answer received: {right}")
    expect(stage(phone3).locator(".live-stage")).to_have_attribute("data-open", "true")
    # The stage can say so from the polled state (the server holds the answer) before the
    # phone's retry is acknowledged; then the phone lets go of the answer it kept.
    phone3.wait_for_function(NOTHING_KEPT, timeout=LIVE)
    expect(connection).to_have_text("")
    assert replies_lost == [200], replies_lost
    assert len(sent) >= 2 and set(sent) == {kept_key}, (sent, kept_key)
    expect(answers).to_have_text("3")
    expect(reveal_button).to_be_visible()  # the presenter is still on the open question
    phone3.unroute(f"**/live/{compact}/answer")

    # The presenter reveals with the keyboard (R) ---------------------------------------
    presenter.locator("body").press("r")
    expect(presenter.locator(".present-key")).to_have_text(f"✓ The correct answer is: {right}")
    expect(presenter.get_by_role("button", name="Next question")).to_be_visible()
    expect(presenter.get_by_role("figure")).to_be_visible()  # how many chose each option
    audit.check(presenter)  # after the reveal
    for phone, verdict in zip(phones, ("Right!", "Not this time.", "Right!"), strict=True):
        expect(stage(phone)).to_contain_text(verdict)
        expect(stage(phone)).to_contain_text(f"The correct answer is: {right}")
    audit.check(phone3)  # a phone after the reveal
    assert_fits_a_phone(phone3)

    # Question 2, a poll: Space goes on, → reveals ---------------------------------------
    presenter.locator("body").press(" ")
    expect(presenter.get_by_text("Question 2 of 2")).to_be_visible()
    expect(presenter.get_by_text(POLL[0])).to_be_visible()
    for phone, choice in zip(phones, (POLL[1], POLL[2], POLL[2]), strict=True):
        expect(stage(phone)).to_contain_text("Question 2 of 2")
        option(phone, choice).click()
        expect(stage(phone)).to_contain_text(f"Answer received: {choice}")
    expect(answers).to_have_text("3")
    presenter.locator("body").press("ArrowRight")
    expect(presenter.locator(".present-stage")).to_have_attribute("data-phase", "revealed")
    expect(reveal_button).to_have_count(0)
    expect(presenter.get_by_role("button", name="Next question")).to_have_count(0)  # the last
    for phone, choice in zip(phones, (POLL[1], POLL[2], POLL[2]), strict=True):
        expect(stage(phone)).to_contain_text(f"Thank you. Your answer: {choice}")

    presenter.get_by_role("button", name="End the session").click()
    expect(presenter.get_by_text("The session has ended.")).to_be_visible()
    for phone in phones:
        expect(stage(phone)).to_contain_text("The session has ended.")

    # Phone 3's answer is stored once; every phone has one answer to each item --------
    db.session.rollback()  # a new transaction: it sees what the server wrote since
    session = db.session.get(LiveSession, session_id)
    items = db.session.scalars(
        select(LiveItem).where(LiveItem.session_id == session.id).order_by(LiveItem.position)
    ).all()
    participants = {
        p.id: p
        for p in db.session.scalars(
            select(LiveParticipant).where(LiveParticipant.session_id == session.id)
        )
    }
    assert len(participants) == 3
    for item in items:
        rows = db.session.scalars(select(LiveAnswer).where(LiveAnswer.live_item_id == item.id))
        assert sorted(row.participant_id for row in rows) == sorted(participants)
    stored = [
        row
        for row in stored_answers(db, session_id, students[1][0])
        if row.live_item_id == items[0].id
    ]
    assert [row.idempotency_key for row in stored] == [kept_key]
    assert stored[0].points > 0

    # …and the organiser's results say the same ---------------------------------------
    presenter.get_by_role("link", name="See the results").click()
    expect(presenter.get_by_role("heading", name="Results: Friday live quiz")).to_be_visible()
    expect(presenter.get_by_text(f"The correct answer is: {right}", exact=True)).to_be_visible()
    audit.check(presenter)
    download = presenter.request.get(f"/organiser/live/{session_id}/results?format=csv")
    assert download.ok
    table = {
        row["Name"]: row for row in csv.DictReader(io.StringIO(download.text().lstrip("\ufeff")))
    }
    names = {GUEST, *(display_name(db, email) for email, _password in students[:2])}
    assert set(table) == names, table
    question_column = next(
        heading for heading in next(iter(table.values())) if heading.startswith("Q1:")
    )
    for name, row in table.items():
        assert row["Answered"] == "2", row  # the question and the poll, once each
        assert row["Correct"] == ("0" if name == GUEST else "1"), row
        assert row[question_column] == row["Points"], row  # the poll scores nothing
    assert int(table[display_name(db, students[1][0])]["Points"]) == stored[0].points

    audit.assert_clean()
    console.assert_clean()
