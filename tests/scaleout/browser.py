"""A person's browser behind the load balancer, and what a student does with it.

One cookie jar; each request goes to the host the test names, as a balancer without
sticky sessions may send it; every request comes from the person's own address, which the
balancer passes on in X-Forwarded-For (the hosts trust one proxy: CAMP_PROXY_FIX_HOPS=1).
"""

from __future__ import annotations

import itertools
import re

import requests

from tests.support.server import csrf_token
from tests.support.topology import Host

PASSWORD = "two-hosts-pass"
_addresses = itertools.count(1)


class Browser:
    def __init__(self, address: str | None = None) -> None:
        self.session = requests.Session()
        self.address = address or f"198.51.100.{next(_addresses) % 250 + 1}"
        self.session.headers["X-Forwarded-For"] = self.address

    def get(self, host: Host, path: str, **options: object) -> requests.Response:
        return self.session.get(host.url + path, timeout=30, **options)  # type: ignore[arg-type]

    def post(self, host: Host, path: str, **options: object) -> requests.Response:
        return self.session.post(host.url + path, timeout=30, **options)  # type: ignore[arg-type]

    def log_in(self, host: Host, email: str, password: str = PASSWORD) -> requests.Response:
        """Log in on `host`; the page it ends on (a wrong password: the login page again)."""
        token = csrf_token(self.get(host, "/login").text)
        return self.post(
            host, "/login", data={"email": email, "password": password, "csrf_token": token}
        )


def start_attempt(browser: Browser, host: Host, slug: str = "why-ip-matters") -> str:
    """Start the module's quiz on `host`; the attempt's path (/attempts/N)."""
    page = browser.get(host, f"/modules/{slug}/quiz").text
    start = re.search(r'action="(/quizzes/\d+/start)"', page)
    assert start, page[:500]
    response = browser.post(host, start.group(1), data={"csrf_token": csrf_token(page)})
    assert response.status_code == 200, response.text[:300]
    return "/attempts/" + response.url.split("?")[0].rsplit("/", 1)[1]


def answers_on(html: str) -> dict[str, object]:
    """An answer to every question on an attempt page, as its form would post it."""
    data: dict[str, object] = {
        "positions": re.findall(r'name="positions" value="(\d+)"', html),
    }
    chosen = re.findall(r'type="(?:radio|checkbox)" id="[^"]+" name="(q\d+)" value="([^"]+)"', html)
    for name, value in chosen:
        data.setdefault(name, value)
    for name in re.findall(r'<input type="text"[^>]* name="(q\d+)"', html):
        data[name] = "20"
    for name in re.findall(r'<select id="[^"]+" name="(q\d+-\d+)"', html):
        first = rf'name="{name}"[^>]*>.*?<option value="([0-9a-f]+)"'
        data[name] = re.findall(first, html, re.S)[0]
    return data


def autosave(browser: Browser, host: Host, attempt: str, html: str) -> dict[str, object]:
    """What attempt.js sends when an answer changes: one question, the token in a header."""
    data = answers_on(html)
    response = browser.post(
        host,
        f"{attempt}/autosave",
        data=data,
        headers={"X-CSRFToken": csrf_token(html)},
    )
    assert response.status_code == 200, response.text[:300]
    return response.json()


def save_and_move(browser: Browser, host: Host, attempt: str, page: int, html: str) -> str:
    """Answer the page's questions and press Next (a plain form POST); the next page."""
    data = {**answers_on(html), "csrf_token": csrf_token(html), "go": "next"}
    response = browser.post(host, f"{attempt}?page={page}", data=data)
    assert response.status_code == 200, response.text[:300]
    assert f"page={page + 1}" in response.url or page == 10, response.url
    return response.text
