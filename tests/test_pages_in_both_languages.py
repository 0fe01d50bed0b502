"""Every page of the route matrix renders in English and in Chinese for every kind of
visitor, and a Chinese page shows no English the catalogue should have translated: visible
text and the attributes people hear (aria-label, title, placeholder, alt) are scanned for
words in Latin letters, outside user data, code, `translate="no"` and a short allow-list
of names that Chinese texts write in Latin letters too."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from camp.accounts.models import Cohort, User
from camp.accounts.services import format_join_code
from camp.audit.models import AuditEvent
from camp.bank.models import Category, Question, QuestionTag, QuestionVersion
from camp.certificates.models import Certificate
from camp.extensions import db
from camp.lessons.models import Module
from camp.live.board_models import BoardPost
from camp.live.codes import format_code
from camp.live.models import LiveItem, LiveParticipant, LiveSession
from camp.quizzes.models import Quiz
from tests.test_route_permissions import (  # noqa: F401 (fixtures)
    ACCESS,
    ALLOWED,
    VISITORS,
    _keep_window,
    _rules,
    app_config,
    world,
)

# Written in Latin letters in Chinese texts too: the brand, formats, acronyms, languages.
ALLOWED_WORDS = {
    "Camp",
    "GIFT",
    "CSV",
    "WIPO",
    "PCT",
    "UPOV",
    "GII",
    "SME",
    "SMEs",
    "DUS",
    "IP",
    "AI",
    "GenAI",
    "UTF",
    "BOM",
    "URL",
    "Moodle",
    "XML",
    "HTML",
    "Markdown",
    "English",
    "UTC",
    "Excel",
    "LibreOffice",
    "ID",
    "OK",
    "SVG",
    "PDF",
    "TRIPS",
    "GRATK",
    "CNIPA",
    "Email",
    # GIFT's own keyword, and stored values a question's versions page shows as they are.
    "CATEGORY",
    "true",
    "false",
    "moodle",
    # An example of the tags field's syntax (tags are ASCII): "ip-types, logos".
    "ip-types",
    "logos",
    # A proper name: the normalised gain is Hake's ("Hake 归一化增益" in Chinese papers too).
    "Hake",
    # The keywords of a live session's polls and open questions ("poll: Coffee or tea?").
    "poll",
    "open",
}
ACRONYM = re.compile(r"[A-Z]{2,5}(-[A-Z0-9]{1,5})*s?")  # acronyms, and codes like KMP-4RT
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*[A-Za-z]")
HEARD_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
SKIPPED_ELEMENTS = {"script", "style", "code", "pre", "textarea"}
VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area", "base"}


class VisibleText(HTMLParser):
    """The text a person sees or hears, without code, scripts and `translate="no"`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: is its content skipped?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skipped = (self.stack and self.stack[-1]) or tag in SKIPPED_ELEMENTS
        skipped = skipped or values.get("translate") == "no"
        if not skipped:
            self.parts.extend(values[name] or "" for name in HEARD_ATTRIBUTES if name in values)
            if tag == "input" and values.get("type") in ("submit", "button"):
                self.parts.append(values.get("value") or "")
        if tag not in VOID:
            self.stack.append(bool(skipped))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def user_data() -> list[str]:
    """Everything the world's users and organisers typed or loaded: shown as it is."""
    texts: list[str] = []
    for user in db.session.scalars(select(User)):
        texts += [user.display_name, user.email]
    for cohort in db.session.scalars(select(Cohort)):
        shown = format_join_code(cohort.join_code)  # and spelled out for screen readers
        texts += [cohort.name, cohort.join_code, shown, " ".join(shown)]
    texts += list(db.session.scalars(select(Question.uid)))
    texts += list(db.session.scalars(select(QuestionTag.tag)))
    texts += list(db.session.scalars(select(Quiz.title)))
    texts += list(db.session.scalars(select(Category.path)))
    for version in db.session.scalars(select(QuestionVersion)):
        texts += [version.title, version.text, version.general_feedback]
    texts += list(db.session.scalars(select(LiveSession.title)))
    for code in db.session.scalars(select(LiveSession.code)):
        shown = format_code(code)  # drawn at random: "Y9N-Y4C" is a code, not English
        texts += [code, shown, " ".join(shown)]
    texts += [text for text in db.session.scalars(select(LiveItem.text)) if text]
    texts += list(db.session.scalars(select(BoardPost.text)))
    texts += [name for name in db.session.scalars(select(LiveParticipant.nickname)) if name]
    for certificate in db.session.scalars(select(Certificate)):
        texts += [certificate.name, certificate.cohort_name, certificate.camp_title]
        texts += [certificate.issue_reason or "", certificate.revoke_reason or ""]
    # The audit log's summaries are a record, written once in English (like a log line).
    texts += list(db.session.scalars(select(AuditEvent.summary)))
    for module in db.session.scalars(select(Module)):
        texts += [module.title, module.summary, module.slug, visible_text(module.body_html)]
        texts += [objective["text"] for objective in module.objectives]
        texts += [objective["tag"] for objective in module.objectives]
        texts += [entry["text"] for entry in module.toc]
    return sorted({t for t in texts if t}, key=len, reverse=True)


def english_words(html: str, data: list[str]) -> list[str]:
    text = visible_text(html)
    for item in data:
        text = text.replace(item, " ")
    text = re.sub(r"\S+@\S+|https?://\S+|/\S*", " ", text)  # addresses and paths
    words = LATIN_WORD.findall(text)
    # Acronyms (all capitals, up to five letters) are written in Latin letters in Chinese.
    return sorted({w for w in words if w not in ALLOWED_WORDS and not ACRONYM.fullmatch(w)})


@pytest.mark.parametrize("visitor", VISITORS)
def test_every_page_renders_in_both_languages_with_no_english_left_in_chinese(
    app,
    client,
    login,
    world,  # noqa: F811 (the route matrix's fixture)
    visitor,
):
    # A session code whose shown form ("Y9N-Y4C") has a run of Latin letters, "N-Y":
    # codes are drawn at random, so fix one that would catch a code taken for English.
    live_session = db.session.get(LiveSession, world["args"]["session_id"])
    live_session.code = world["args"]["code"] = "Y9NY4C"
    db.session.commit()
    if visitor != "anonymous":
        login(world["users"][visitor])
    data = user_data()
    failures = []
    for rule in _rules(app):
        kind = ACCESS.get(rule.endpoint)
        if kind is None or "GET" not in rule.methods or visitor not in ALLOWED[kind]:
            continue
        if rule.endpoint in ("static", "accounts.logout"):
            continue
        url = rule.build(world["args"])[1]
        for language in ("en", "zh-CN"):
            response = client.get(url, headers={"Accept-Language": language})
            if 300 <= response.status_code < 400:
                pass  # a redirect's body is Werkzeug's, never shown
            elif response.status_code >= 500:
                failures.append(f"{url} in {language} as {visitor}: {response.status_code}")
            elif language == "zh-CN" and response.mimetype == "text/html":
                left = english_words(response.get_data(as_text=True), data)
                if left:
                    failures.append(f"{url} as {visitor} shows English: {left[:15]}")
            response.close()
            _keep_window(*world["window"])
    assert not failures, "\n".join(failures)
