"""The login limiter over two hosts: its counts are in Redis, so the limit holds when the
guesses alternate between the hosts; and with Redis stopped, logins (and everything else)
still work, each host says so in its log, and the limit is shared again once Redis is back.
"""

from __future__ import annotations

import itertools
import time

import pytest

from camp.accounts import services as accounts
from camp.extensions import db
from tests.scaleout.browser import PASSWORD, Browser, autosave, start_attempt

pytestmark = [pytest.mark.scaleout, pytest.mark.slow]
LIMIT = 10  # CAMP_LOGIN_FAILURES_PER_MINUTE's default
_probes = itertools.count()


def student(name: str) -> str:
    email = f"{name}@example.org"
    accounts.create_user(email=email, display_name=name, password=PASSWORD)
    db.session.commit()
    return email


def logged_in(response) -> bool:
    return response.status_code == 200 and not response.url.endswith("/login")


def guess_until_refused(hosts, email: str, address: str) -> int:
    """Wrong passwords for `email` from `address`, host after host; the guesses made
    before one was refused (429)."""
    guesser = Browser(address)
    for guess in range(3 * LIMIT):
        response = guesser.log_in(hosts[guess % len(hosts)], email, "not-the-password")
        if response.status_code == 429:
            return guess
        assert response.status_code == 200 and response.url.endswith("/login"), response
    raise AssertionError(f"{3 * LIMIT} wrong passwords and no 429")


def test_failed_logins_alternating_between_hosts_meet_one_limit(deployment, checker):
    a, b = deployment.hosts
    email = student("guessed")
    assert guess_until_refused([a, b], email, "203.0.113.7") == LIMIT
    attacker = Browser("203.0.113.7")
    for host in (a, b):  # refused everywhere, even with the right password
        assert attacker.log_in(host, email).status_code == 429
    # Counted per address as the balancer passes it on, not per balancer: another
    # address still gets in, on either host.
    assert logged_in(Browser("203.0.113.8").log_in(b, email))


def test_with_redis_stopped_logins_work_and_the_limit_is_shared_again_once_it_is_back(
    deployment, checker
):
    a, b = deployment.hosts
    redis = deployment.redis
    emails = [student("offline-a"), student("offline-b")]
    redis.stop()
    for host, other, email in ((a, b, emails[0]), (b, a, emails[1])):
        browser = Browser()
        assert logged_in(browser.log_in(host, email))
        attempt = start_attempt(browser, other)
        assert autosave(browser, host, attempt, browser.get(other, f"{attempt}?page=1").text)
        wrong = Browser().log_in(other, email, "not-the-password")  # counted, never a 500
        assert wrong.status_code == 200 and wrong.url.endswith("/login")
    for host in (a, b):
        health = Browser().get(host, "/healthz")
        assert health.status_code == 200
        assert health.json() == {"status": "ok", "database": "ok", "ratelimit_store": "unreachable"}
        said = f"WARNING in ratelimit_outage: The rate-limit store {redis.url} cannot be reached"
        assert said in host.log(), host.log()

    redis.start()  # on the same port, empty
    # Each process that found Redis gone tries it again at a limited request, 1 to 32
    # seconds after its last try, and says so: wrong passwords on both hosts until all have.
    deadline = time.monotonic() + 60
    while not all(_back_in_every_process(host.log()) for host in (a, b)):
        assert time.monotonic() < deadline, a.log() + b.log()
        for host in (a, b):
            Browser().log_in(host, f"probe{next(_probes)}@example.org", "not-the-password")
        time.sleep(0.2)
    assert Browser().get(a, "/healthz").json()["ratelimit_store"] == "ok"
    assert guess_until_refused([b, a], emails[0], "203.0.113.77") == LIMIT


def _back_in_every_process(log: str) -> bool:
    lost = log.count(" cannot be reached")
    return lost > 0 and log.count(" answers again: ") == lost
