"""Fixtures of the browser tests: the real `camp up` on a throwaway database, Debian's
Chromium driven by Playwright, and an accessibility audit that every journey reports.

Without Chromium or Playwright every e2e test is skipped with a message that says how to
install them; with CAMP_E2E_REQUIRED=1 (CI) the run stops instead, so a broken install can
never pass as a green run.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator

import pytest

from tests.conftest import fresh_database_url, make_app
from tests.e2e.availability import BROWSER_ARGS, browser_problem, chromium_path
from tests.support.server import CampServer

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problem = browser_problem()
    if problem is None:
        return
    if os.environ.get("CAMP_E2E_REQUIRED") == "1":
        raise pytest.UsageError(f"CAMP_E2E_REQUIRED=1 but {problem}")
    skip = pytest.mark.skip(reason=problem)
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(skip)


class Camp:
    """The running server and what `camp up` printed once: demo logins and the join code."""

    def __init__(self, server: CampServer) -> None:
        self.server = server
        self.url = server.url
        output = self._wait_for_output(r"join code: (\S+)")
        self.join_code = re.search(r"join code: (\S+)", output).group(1)
        self.logins = server.demo_logins()

    def _wait_for_output(self, pattern: str, timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            output = "".join(self.server.output)
            if re.search(pattern, output):
                return output
            time.sleep(0.05)
        raise AssertionError(f"camp up never printed {pattern!r}:\n" + "".join(self.server.output))

    def login(self, role: str) -> tuple[str, str]:
        return self.logins[role]


@pytest.fixture
def camp(database_url: str, tmp_path) -> Iterator[Camp]:
    server = CampServer(
        database_url=fresh_database_url(database_url, tmp_path, "e2e"),
        instance_path=tmp_path / "instance",
    )
    server.start()
    try:
        yield Camp(server)
    finally:
        server.stop()


@pytest.fixture
def db_app(camp: Camp, tmp_path):
    """An app on the server's database, for setting up rows and checking them."""
    from camp.extensions import db

    app = make_app(camp.server.database_url, tmp_path / "checker")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def audit():
    from tests.e2e.helpers import Audit

    audit = Audit()
    yield audit
    # A test that failed before its own check still shows what axe found on the way.
    if audit.findings and not audit.reported:
        print(audit.report())
    for finding in audit.minor:  # moderate and minor: shown with -s, never failing
        print("axe (not failing):", finding)


@pytest.fixture
def new_page(browser, camp: Camp, audit) -> Iterator[Callable[..., object]]:
    """Open a page in a new browser context (a fresh browser profile: no cookies)."""
    contexts = []

    def open_page(viewport: dict[str, int] | None = None, **options: object):
        context = browser.new_context(
            base_url=camp.url, viewport=viewport or LAPTOP, locale="en-GB", **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        audit.watch(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
