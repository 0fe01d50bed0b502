"""A quiz attempt over two hosts: logged in on one, continued on the other (autosave, page
moves, submit) with nothing lost; and host B killed outright mid-quiz, its students
carrying on on host A with every saved answer there."""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from camp.accounts import services as accounts
from camp.extensions import db
from camp.quizzes.models import Attempt, AttemptQuestion, AttemptState
from tests.scaleout.browser import (
    PASSWORD,
    Browser,
    autosave,
    save_and_move,
    start_attempt,
)

pytestmark = [pytest.mark.scaleout, pytest.mark.slow]


def students(count: int, name: str) -> list[str]:
    emails = [f"{name}{i}@example.org" for i in range(count)]
    for email in emails:
        accounts.create_user(email=email, display_name=email, password=PASSWORD)
    db.session.commit()
    return emails


def answered(attempt: str) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count()).where(
            AttemptQuestion.attempt_id == int(attempt.rsplit("/", 1)[1]), AttemptQuestion.answered
        )
    )


def test_a_student_logs_in_on_a_and_carries_on_on_b_with_nothing_lost(deployment, checker):
    a, b = deployment.hosts
    [email] = students(1, "roamer")
    browser = Browser()
    assert not browser.log_in(a, email).url.endswith("/login")
    attempt = start_attempt(browser, b)  # the session signed on A is good on B
    hosts = [a, b]
    html = browser.get(a, f"{attempt}?page=1").text
    for page in range(1, 10):
        host = hosts[page % 2]
        if page % 3 == 1:  # attempt.js's autosave, then the page's Next button elsewhere
            saved = autosave(browser, host, attempt, html)
            assert saved["saved"] is True, saved
            html = browser.get(hosts[(page + 1) % 2], f"{attempt}?page={page + 1}").text
        else:
            html = save_and_move(browser, host, attempt, page, html)
        assert answered(attempt) == page
    autosave(browser, b, attempt, html)  # the tenth, on B
    summary = browser.get(a, f"{attempt}/summary").text
    assert summary.count("Answer saved") == 10
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', summary).group(1)
    review = browser.post(b, f"{attempt}/submit", data={"csrf_token": token})
    assert review.status_code == 200 and review.url.endswith("/review")
    row = db.session.get(Attempt, int(attempt.rsplit("/", 1)[1]))
    assert row.state == AttemptState.SUBMITTED and row.score is not None
    assert answered(attempt) == 10


def test_host_b_killed_mid_quiz_its_students_carry_on_on_a_and_no_saved_answer_is_lost(
    deployment, checker
):
    a, b = deployment.hosts
    emails = students(4, "survivor")
    browsers = [Browser() for _ in emails]
    attempts = []
    for index, (browser, email) in enumerate(zip(browsers, emails, strict=True)):
        assert not browser.log_in((a, b)[index % 2], email).url.endswith("/login")
        attempts.append(start_attempt(browser, b))
    acked: list[set[int]] = [set() for _ in emails]  # pages whose save was answered 2xx
    b_gone = threading.Event()

    def host_for(page: int):
        return b if page % 2 == 0 and not b_gone.is_set() else a

    def take_quiz(index: int) -> None:
        browser, attempt = browsers[index], attempts[index]
        for page in range(1, 11):
            for _ in range(200):  # the balancer sends a request B never answered to A
                try:
                    html = browser.get(host_for(page), f"{attempt}?page={page}").text
                    save_and_move(browser, host_for(page), attempt, page, html)
                    break
                except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
                    time.sleep(0.05)
            else:
                raise AssertionError(f"page {page} of {attempt} was never saved")
            acked[index].add(page)

    with ThreadPoolExecutor(len(emails)) as pool:
        running = [pool.submit(take_quiz, index) for index in range(len(emails))]
        deadline = time.monotonic() + 60
        while min(len(pages) for pages in acked) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        b.kill()  # mid-quiz: saves to B are in flight
        b_gone.set()
        saved_before = [set(pages) for pages in acked]
        for attempt, pages in zip(attempts, saved_before, strict=True):
            assert answered_pages(attempt) >= pages
        for future in running:
            future.result()
    for browser, attempt in zip(browsers, attempts, strict=True):
        summary = browser.get(a, f"{attempt}/summary").text
        assert summary.count("Answer saved") == 10
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', summary).group(1)
        assert browser.post(a, f"{attempt}/submit", data={"csrf_token": token}).ok
        assert answered(attempt) == 10
    assert all(pages == set(range(1, 11)) for pages in acked)


def answered_pages(attempt: str) -> set[int]:
    db.session.expire_all()
    return set(
        db.session.scalars(
            select(AttemptQuestion.position).where(
                AttemptQuestion.attempt_id == int(attempt.rsplit("/", 1)[1]),
                AttemptQuestion.answered,
            )
        )
    )
