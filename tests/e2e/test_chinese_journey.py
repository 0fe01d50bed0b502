"""The whole student journey in Chinese on a phone: switch the language in the header,
join, read a lesson, take its quiz, read the review and the progress page, every page
axe-clean and fitting the screen; then an organiser reads the cohort report in Chinese."""

from __future__ import annotations

import re
from functools import cache

import pytest
from babel.support import Translations

from camp.i18n import TRANSLATIONS
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import (
    STUDENT_PASSWORD,
    answer_question,
    assert_fits_a_phone,
    expect,
    questions,
)

pytestmark = pytest.mark.e2e


@cache
def _catalogue() -> Translations:
    return Translations.load(str(TRANSLATIONS), ["zh_Hans"])


def zh(message: str, **values: object) -> str:
    """The Chinese the page shows for an English message of the catalogue."""
    text = _catalogue().gettext(message)
    assert text != message or not re.search(r"[A-Za-z]{3}", message), f"untranslated: {message}"
    return text % values if values else text


def zh_plural(singular: str, plural: str, num: int) -> str:
    return _catalogue().ngettext(singular, plural, num) % {"num": num}


def switch_to_chinese(page) -> None:
    page.get_by_role("button", name=re.compile("简体中文")).click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")


def check(page, audit) -> None:
    audit.check(page)
    assert_fits_a_phone(page)


def test_a_student_takes_the_camp_in_chinese_on_a_phone(camp, new_page, audit):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/join")
    switch_to_chinese(page)
    check(page, audit)
    page.locator("#join_code").fill(camp.join_code)
    page.locator("#display_name").fill("李明")
    page.locator("#email").fill("liming@example.org")
    page.locator("#password").fill(STUDENT_PASSWORD)
    page.get_by_role("button", name=zh("Create my account")).click()
    expect(page.get_by_role("heading", name=zh("Lesson modules"), level=1)).to_be_visible()
    check(page, audit)

    # The lessons are the Chinese ones.
    first = page.locator(".module-card h2 a").first
    title = first.inner_text()
    assert re.search(r"[\u4e00-\u9fff]", title), title
    first.click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=zh("Glossary in English and Chinese"))).to_be_visible()
    check(page, audit)
    page.get_by_role("button", name=zh("Mark as read")).click()
    expect(page.get_by_text(zh("You marked this lesson as read."))).to_be_visible()
    page.locator(".lesson-footer a.button").click()  # the quiz of this lesson
    expect(page.get_by_role("heading", name=zh("Rules"))).to_be_visible()
    check(page, audit)

    page.get_by_role("button", name=zh("Start the quiz")).click()
    save = re.compile(
        f"^({re.escape(zh('Save and next'))}|{re.escape(zh('Save and review answers'))})$"
    )
    for _ in range(30):
        button = page.get_by_role("button", name=save)
        expect(button).to_be_visible()
        check(page, audit)
        group = questions(page).first
        text = group.inner_text()
        assert re.search(r"[\u4e00-\u9fff]", text), text[:200]  # the Chinese question
        answer_question(group, "20")
        is_last = button.inner_text() == zh("Save and review answers")
        with page.expect_navigation():  # the next page, not this one, is checked next
            button.click()
        if is_last:
            break
    expect(
        page.get_by_role("heading", name=zh("Check your answers before you submit"))
    ).to_be_visible()
    check(page, audit)
    page.get_by_role("button", name=zh("Submit all and finish")).click()
    expect(page.get_by_role("heading", name=re.compile(r"第\s*1\s*次"))).to_be_visible()
    check(page, audit)

    page.get_by_role("link", name=zh("My progress")).click()
    page.wait_for_url("**/progress")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check(page, audit)
    audit.assert_clean()


def test_an_organiser_reads_the_cohort_report_in_chinese(camp, new_page, audit):
    page = new_page()
    page.goto("/login")
    switch_to_chinese(page)
    audit.check(page)
    email, password = camp.login("organiser")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.get_by_role("button", name=zh("Log in")).click()
    page.wait_for_url(re.compile(r"/organiser"))
    page.get_by_role("link", name=zh("Cohorts")).click()
    page.wait_for_url("**/organiser/cohorts")
    expect(page.locator("main table a").first).to_be_visible()
    audit.check(page)
    page.locator("main table a").first.click()
    page.wait_for_url(re.compile(r"/organiser/cohorts/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit.check(page)
    page.get_by_role("link", name=re.compile(re.escape(zh("Report")))).first.click()
    page.wait_for_url(re.compile(r"/report"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit.check(page)
    audit.assert_clean()
