"""Ids posted in forms beyond what an id column holds are a form error, never a 500
(PostgreSQL refuses to bind them to an integer column)."""

from __future__ import annotations

import pytest

from camp.accounts.models import Role


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False, "PROPAGATE_EXCEPTIONS": False}


@pytest.mark.parametrize("huge", [2**31, 2**63, 10**30])
def test_huge_slot_and_student_ids_are_refused_cleanly(client, login, make, huge):
    organiser = make.user(Role.ORGANISER)
    make.cohort("Mine", organiser=organiser)
    quiz = make.quiz([make.choice_question()])
    login(organiser)
    slot = client.post(
        f"/organiser/quizzes/{quiz.id}/slots", data={"slot_id": str(huge), "action": "up"}
    )
    assert slot.status_code < 500
    access = client.post(
        f"/organiser/quizzes/{quiz.id}/access",
        data={"students": [str(huge)], "extra_minutes": "5", "extra_attempts": "0"},
    )
    assert access.status_code < 500
