"""The organiser's review settings page: it shows the defaults, saves and audits, refuses
bad values with a message and writes nothing, and is the cohort's organisers' alone."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from camp.accounts.models import Role
from camp.audit.models import AuditEvent
from camp.extensions import db
from camp.review.models import ReviewSettings


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def setup(make):
    organiser, other = make.user(Role.ORGANISER), make.user(Role.ORGANISER)
    cohort = make.cohort("Cohort A", organiser=organiser)
    make.cohort("Cohort B", organiser=other)
    return organiser, other, cohort


GOOD = {"enabled": "y", "new_per_day": "8", "target_retention": "85", "session_length": "30"}


def _value(page: str, name: str) -> str | None:
    """The value of the input called `name` in `page`."""
    found = re.search(rf'<input[^>]* name="{name}"[^>]*>', page)
    value = re.search(r'value="([^"]*)"', found.group(0)) if found else None
    return value.group(1) if value else None


def _rows() -> int:
    return db.session.scalar(select(func.count(ReviewSettings.id))) or 0


def test_the_page_shows_the_defaults_and_is_linked_from_the_cohort(client, login, setup):
    organiser, _other, cohort = setup
    login(organiser)
    url = f"/organiser/cohorts/{cohort.id}/review"
    assert url in client.get(f"/organiser/cohorts/{cohort.id}").get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert re.search(r'<input[^>]* checked [^>]*name="enabled"', page)
    assert _value(page, "new_per_day") == "5"
    assert _value(page, "target_retention") == "90"
    assert _value(page, "session_length") == "20"
    assert "never part of a grade" in page


def test_settings_are_saved_and_audited(client, login, setup):
    organiser, _other, cohort = setup
    login(organiser)
    response = client.post(
        f"/organiser/cohorts/{cohort.id}/review", data=GOOD, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "The review settings are saved." in page
    assert _value(page, "target_retention") == "85"
    row = db.session.scalar(select(ReviewSettings))
    assert row is not None and row.cohort_id == cohort.id
    assert (row.enabled, row.new_per_day, row.session_length) == (True, 8, 30)
    assert row.target_retention == pytest.approx(0.85)
    assert row.updated_by == organiser.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "review.settings"))
    assert event is not None and event.actor_id == organiser.id
    assert event.detail["target_retention"] == pytest.approx(0.85)


def test_an_unticked_box_turns_review_off(client, login, setup):
    organiser, _other, cohort = setup
    login(organiser)
    off = {k: v for k, v in GOOD.items() if k != "enabled"}
    assert client.post(f"/organiser/cohorts/{cohort.id}/review", data=off).status_code == 302
    assert db.session.scalar(select(ReviewSettings.enabled)) is False


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("new_per_day", "101", "from 0 to 100"),
        ("new_per_day", "-1", "from 0 to 100"),
        ("target_retention", "0.9", "Not a valid integer value."),
        ("target_retention", "69", "from 70 to 99"),
        ("target_retention", "100", "from 70 to 99"),
        ("session_length", "0", "from 1 to 200"),
        ("session_length", "", "Enter a whole number."),
    ],
)
def test_bad_values_are_refused_with_a_message_and_nothing_is_written(
    client, login, setup, name, value, message
):
    organiser, _other, cohort = setup
    login(organiser)
    response = client.post(f"/organiser/cohorts/{cohort.id}/review", data={**GOOD, name: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page and 'aria-invalid="true"' in page
    assert _rows() == 0
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_another_organiser_and_students_are_refused(client, login, setup, make):
    _organiser, other, cohort = setup
    student = make.user()
    make.member(cohort, student)
    url = f"/organiser/cohorts/{cohort.id}/review"
    for user in (other, student):
        login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, data=GOOD).status_code == 403
    assert _rows() == 0


def test_an_admin_may_change_them(client, login, setup, make):
    _organiser, _other, cohort = setup
    login(make.user(Role.ADMIN))
    assert client.post(f"/organiser/cohorts/{cohort.id}/review", data=GOOD).status_code == 302
    assert _rows() == 1
