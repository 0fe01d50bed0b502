"""Helpers for the bank screens: a logged-in organiser and form posts that carry CSRF."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from werkzeug.datastructures import MultiDict

from camp.accounts.models import Role
from camp.bank import services
from camp.bank.services import QuestionDraft
from camp.extensions import db

BANK_GIFT = """\
$CATEGORY: IP basics

// [id:ipv-01] [tag:ip-kinds] [tag:logos]
::Logo::Which right protects a company logo?{
=A trademark#Right: a sign used in trade.
~A patent#Patents protect inventions.
}####Trademarks protect signs.

// [id:ipv-02] [tag:ip-terms]
::Patent term::The minimum patent term under TRIPS, in years?{#20}

// [id:ipv-03]
::Trade secret::A trade secret must be registered.{F#No registration is needed.#Right.}
"""


def csrf_token(client, url):
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def hidden_value(page, name):
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page)
    assert match, f"no hidden {name} field"
    return match.group(1)


def post_form(client, url, data, *, token_from=None, **kwargs):
    token = csrf_token(client, token_from or url)
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


@pytest.fixture
def organiser(make, login):
    user = make.user(Role.ORGANISER)
    login(user)
    return user


@pytest.fixture
def add_question(app):
    def _add(type_="single_choice", *, uid=None, category="Default", tags=(), **fields):
        spec = (
            fields.pop("spec")
            if "spec" in fields
            else {
                "options": [
                    {"text": "A trademark", "weight": 100.0, "feedback": "Right."},
                    {"text": "A patent", "weight": 0.0, "feedback": "No."},
                ]
            }
        )
        draft = QuestionDraft(
            type=type_,
            text=fields.pop("text", "Which right protects a logo?"),
            spec=spec,
            tags=tuple(tags),
            **fields,
        )
        question = services.create_question(
            draft, category=services.ensure_category(category), uid=uid
        )
        db.session.commit()
        return question

    return _add


class _FormReader(HTMLParser):
    """The successful controls of each form on a page, as a browser would post them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append([])
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in a:
                return
            if kind not in ("submit", "file"):
                self.forms[-1].append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1].append((self._select, a.get("value") or ""))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            # A browser drops one newline right after <textarea> and posts CRLF line ends.
            text = text.removeprefix("\r\n").removeprefix("\n").replace("\n", "\r\n")
            self.forms[-1].append((self._textarea, text))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_fields(page, containing="text"):
    """The fields of the first form on `page` that has a control named `containing`."""
    reader = _FormReader()
    reader.feed(page)
    for fields in reader.forms:
        if any(name == containing for name, _ in fields):
            return MultiDict(fields)
    raise AssertionError(f"no form with a {containing!r} field")
