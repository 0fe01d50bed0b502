"""Ids in URLs beyond what the database can hold: every `<int:...>` argument, walked over
app.url_map, answers the normal 404 page with the security headers, never a 500.

Ids are `Integer` columns: PostgreSQL refuses to bind past 2**31 - 1 to one ("integer out
of range") and SQLite past 2**63 - 1 (OverflowError), so such a URL can name nothing and
must not reach a view. The test runs on both databases.
"""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from camp.accounts.models import Role
from camp.db import utcnow
from camp.extensions import db
from camp.quizzes import services
from camp.quizzes.models import Attempt
from camp.security import SECURITY_HEADERS
from camp.urls import MAX_ID

LARGEST_ID = MAX_ID
TOO_LARGE = [MAX_ID + 1, 2**63, 10**30]
NOT_FOUND_TEXT = "There is nothing at this address."
# Sample values for the arguments that are not ids (none of them exists either).
OTHER_ARGS = {
    "uid": "no-such-question",
    "question_uid": "no-such-question",
    "slug": "no-such",
    "code": "NOSUCH",
    "name": "no-such.png",
}


@pytest.fixture
def app_config():
    # Posts go without a token so that the view, not the CSRF check, answers them; an
    # error becomes the 500 page a user would get instead of failing the test at once.
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "PROPAGATE_EXCEPTIONS": False}


def _int_names(rule):
    return [name for name, c in rule._converters.items() if isinstance(c, IntegerConverter)]


def _int_rules(app):
    rules = [rule for rule in app.url_map.iter_rules() if _int_names(rule)]
    assert len(rules) > 20, "the walk should see every id-taking page"
    return rules


def _url(rule, number):
    # Built by hand: url_for would refuse a value its own converter rejects.
    path = rule.rule
    for name in rule.arguments:
        value = number if name in _int_names(rule) else OTHER_ARGS[name]
        for written in (f"<int:{name}>", f"<path:{name}>", f"<{name}>"):
            path = path.replace(written, str(value))
    assert "<" not in path, path
    return path


def _method(rule):
    return "GET" if "GET" in rule.methods else "POST"


def _missing_headers(response):
    return [name for name, value in SECURITY_HEADERS if response.headers.get(name) != value]


@pytest.fixture(params=[Role.STUDENT, Role.ORGANISER, Role.ADMIN])
def visitor(request, make, login):
    user = make.user(request.param)
    login(user)
    return user


def test_ids_beyond_64_bits_are_not_found(app, client, visitor):
    failures = []
    for rule in _int_rules(app):
        for number in TOO_LARGE:
            url = _url(rule, number)
            response = client.open(url, method=_method(rule))
            body = response.get_data(as_text=True)
            if response.status_code != 404 or NOT_FOUND_TEXT not in body:
                failures.append(f"{_method(rule)} {url}: {response.status_code}")
            elif missing := _missing_headers(response):
                failures.append(f"{_method(rule)} {url}: no {', '.join(missing)}")
    assert not failures, "\n".join(failures)


def test_the_largest_id_still_reaches_the_view(app, client, visitor):
    """The largest id a column holds is valid: routing hands it to the view, which finds
    nothing (or the visitor may not open that page at all): a 403 or 404, never a 500."""
    adapter = app.url_map.bind("localhost")
    failures = []
    for rule in _int_rules(app):
        url, method = _url(rule, LARGEST_ID), _method(rule)
        endpoint, args = adapter.match(url, method=method)
        assert endpoint == rule.endpoint
        assert all(args[name] == LARGEST_ID for name in _int_names(rule))
        response = client.open(url, method=method)
        if response.status_code not in (403, 404) or _missing_headers(response):
            failures.append(f"{method} {url}: {response.status_code}")
    assert not failures, "\n".join(failures)


HUGE_PAGES = ["99999999999999999999", str(10**30), "-99999999999999999999"]


@pytest.fixture
def attempt(make, login):
    """A student's attempt at a three-question quiz, one question a page."""
    student = make.user()
    quiz = make.quiz([make.choice_question(right=f"Answer {n}") for n in (1, 2, 3)])
    login(student)
    found = db.session.get(Attempt, services.start_attempt(student, quiz, utcnow()))
    db.session.commit()
    return found


@pytest.mark.parametrize("page", HUGE_PAGES)
def test_an_attempt_page_number_out_of_range_shows_the_nearest_page(client, attempt, page):
    response = client.get(f"/attempts/{attempt.id}?page={page}")
    assert response.status_code == 200
    shown = "Question 1 of 3" if page.startswith("-") else "Question 3 of 3"
    assert shown in response.get_data(as_text=True)


@pytest.mark.parametrize("page", HUGE_PAGES)
def test_saving_on_a_page_number_out_of_range_moves_on(client, attempt, page):
    response = client.post(f"/attempts/{attempt.id}?page={page}", data={"go": "next"})
    assert response.status_code == 302
    expected = "?page=2" if page.startswith("-") else "/summary"
    assert response.location.endswith(expected)


@pytest.mark.parametrize("page", HUGE_PAGES)
def test_a_bank_page_number_out_of_range_shows_a_page(client, make, login, page):
    login(make.user(Role.ORGANISER))
    make.choice_question(right="Listed")
    response = client.get(f"/organiser/bank?page={page}")
    assert response.status_code == 200
    assert "Pick Listed" in response.get_data(as_text=True)


@pytest.mark.parametrize("number", HUGE_PAGES)
def test_a_version_number_out_of_range_compares_the_latest(client, make, login, number):
    login(make.user(Role.ORGANISER))
    question = make.choice_question(right="Versioned")
    response = client.get(f"/organiser/bank/{question.uid}/versions?a={number}&b={number}")
    assert response.status_code == 200
