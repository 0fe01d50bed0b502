"""A live session over two hosts: phones joined on either host, the presenter's controls
pressed on either, and every poll, from either host, sees one state."""

from __future__ import annotations

import re

import pytest

from camp.accounts.models import Role
from camp.db import utcnow
from camp.extensions import db
from camp.live import services as live
from camp.live.plan import ItemDraft, LiveSettings
from tests.factories import Factories as make
from tests.scaleout.browser import PASSWORD, Browser
from tests.support.server import csrf_token

pytestmark = [pytest.mark.scaleout, pytest.mark.slow]
JSON = {"Accept": "application/json"}
OPTION = re.compile(
    r'value="([A-Z])" class="live-option[^"]*">\s*<span class="live-shape"[^>]*></span>\s*'
    r'<span class="live-letter">[A-Z]</span>\s*<span class="live-option-text">([^<]*)<'
)


def test_a_live_session_joined_from_both_hosts_shows_one_state(deployment, checker):
    a, b = deployment.hosts
    organiser = make.user(Role.ORGANISER, password=PASSWORD)
    cohort = make.cohort(organiser=organiser)
    phones = {}
    for host in (a, b, a):  # two phones on A, one on B
        user = make.user(password=PASSWORD)
        make.member(cohort, user)
        phones[user.email] = (host, Browser())
    question = make.choice_question(right="Geneva", wrong=("Beijing", "Paris"))
    session = live.create_session(
        organiser,
        "Two hosts",
        [cohort],
        [ItemDraft.question(question.id), ItemDraft.poll("Coffee or tea?", ["Coffee", "Tea"])],
        LiveSettings(),
        utcnow(),
    )
    db.session.commit()
    code = session.code

    presenter = Browser()
    assert presenter.log_in(b, organiser.email).ok
    for email, (host, phone) in phones.items():
        assert phone.log_in(host, email).ok
        page = phone.get(host, "/live").text
        joined = phone.post(host, "/live", data={"code": code, "csrf_token": csrf_token(page)})
        assert joined.url.endswith(f"/live/{code}"), joined.text[:300]
    counts = presenter.get(a, f"/live/{code}/present/state").json()
    assert counts["joined"] == 3

    def press(host, action):
        page = presenter.get(host, f"/live/{code}/present").text
        seen = presenter.get(host, f"/live/{code}/present/state").json()["version"]
        data = {"action": action, "seen": seen, "csrf_token": csrf_token(page)}
        done = presenter.post(host, f"/live/{code}/control", data=data, headers=JSON)
        assert done.status_code == 200 and done.json()["done"], done.text

    def one_state(expected_phase):
        """Every phone, polling both hosts, sees the same state in `expected_phase`."""
        seen = set()
        for _, phone in phones.values():
            for host in (a, b):
                state = phone.get(host, f"/live/{code}/state").json()
                seen.add((state["version"], state["phase"], state["position"], state["item_id"]))
                assert state["joined"] and state["phase"] == expected_phase, state
        assert len(seen) == 1, seen
        return seen.pop()

    one_state("lobby")
    press(b, "start")
    version, _, position, item_id = one_state("question")
    assert position == 1
    for index, (host, phone) in enumerate(phones.values()):
        other = b if host is a else a  # each phone answers on the host it did not join on
        page = phone.get(other, f"/live/{code}").text
        letters = {text: letter for letter, text in OPTION.findall(page)}
        chosen = letters["Geneva" if index else "Paris"]
        data = {
            "item": item_id,
            "key": f"k{index}",
            "answer": chosen,
            "csrf_token": csrf_token(page),
        }
        answer = phone.post(other, f"/live/{code}/answer", data=data, headers=JSON)
        assert answer.status_code == 200 and answer.json()["accepted"], answer.text
    for host in (a, b):
        assert presenter.get(host, f"/live/{code}/present/state").json()["answers"] == 3
    for _, phone in phones.values():
        assert phone.get(a, f"/live/{code}/state").json()["answered"] is True
        assert phone.get(b, f"/live/{code}/state").json()["answered"] is True
    press(a, "reveal")
    revealed = one_state("revealed")
    assert revealed[0] > version and revealed[3] == item_id
    press(b, "next")
    assert one_state("question")[2] == 2
