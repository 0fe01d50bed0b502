"""The session's user is read afresh on every request, as an ORM object or (on the quiz
attempt views) as one row: either way a deactivated user is logged out at once."""

from __future__ import annotations

import re

import pytest

from camp.accounts import services
from camp.extensions import db

# A quiz attempt view (the user is read as a row) and an ordinary page (an ORM object).
PATHS = ["/attempts/999999", "/account"]


@pytest.mark.parametrize("path", PATHS)
def test_an_active_user_is_logged_in_on_hot_and_ordinary_views(client, make, login, path):
    login(make.user())
    response = client.get(path)
    assert response.status_code in (200, 404)  # not redirected to the login page


@pytest.mark.parametrize("path", PATHS)
def test_a_deactivated_user_is_logged_out_at_their_next_request(client, make, login, path):
    user = make.user()
    login(user)
    assert client.get("/account").status_code == 200
    services.set_active(user, False)
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_on_their_own_attempt_a_deactivated_user_is_logged_out_too(client, make, login):
    """There the user is read in the same statement as the attempt (attempt_rows)."""
    quiz = make.quiz([make.choice_question()])
    user = make.user()
    login(user)
    page = client.get(f"/quizzes/{quiz.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    attempt_url = client.post(f"/quizzes/{quiz.id}/start", data={"csrf_token": token}).location
    assert client.get(attempt_url).status_code == 200
    services.set_active(user, False)
    db.session.commit()
    response = client.get(attempt_url)
    assert response.status_code == 302
    assert response.location.startswith("/login")
