"""`camp up` as a person runs it: a real waitress server on an empty database."""

from __future__ import annotations

import http.client
import re
import sys
from collections import Counter

import pytest
import requests

from tests.conftest import fresh_database_url
from tests.support.server import CampServer, listening_sockets, log_in, worker_of_each

pytestmark = pytest.mark.slow


@pytest.fixture
def server(database_url, tmp_path):
    server = CampServer(
        database_url=fresh_database_url(database_url, tmp_path, "server"),
        instance_path=tmp_path / "instance",
    )
    yield server
    server.stop()


def test_camp_up_serves_login_within_ten_seconds_and_demo_logins_work(server):
    seconds = server.start()
    assert seconds < 10, f"/login answered after {seconds:.1f} s"
    output = "".join(server.output)
    assert f"Camp is running at http://127.0.0.1:{server.port}/" in output
    assert "WARNING: This is a development server" not in output
    logins = server.demo_logins()
    assert set(logins) == {"admin", "organiser", "student"}
    for role, home in [
        ("organiser", "/organiser/cohorts"),
        ("student", "/modules"),
        ("admin", "/admin/users"),
    ]:
        session = requests.Session()
        response = log_in(session, server.url, *logins[role])
        assert response.url.endswith(home), (role, response.url)
        assert response.status_code == 200
    response = requests.get(server.url + "/login", timeout=5)
    assert response.headers["Server"] == "camp"


def test_camp_up_creates_demo_data_only_once(server):
    server.start()
    server.stop()
    first = server.demo_logins()
    server.output.clear()
    server.start()
    assert server.demo_logins() == {}
    session = requests.Session()
    assert log_in(session, server.url, *first["student"]).url.endswith("/modules")


def test_camp_routes_lists_the_pages(server):
    result = server.run("routes")
    assert result.returncode == 0, result.stderr
    assert "/login" in result.stdout and "/organiser/cohorts" in result.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux balances SO_REUSEPORT")
def test_each_worker_accepts_on_its_own_socket_and_a_room_is_spread_over_them(server):
    server.args = ("--workers", "4")
    server.start()
    listening = listening_sockets(server)
    assert len(listening) == 4
    assert all(len(inodes) == 1 for inodes in listening.values()), listening
    assert len(set().union(*listening.values())) == 4  # one socket each, none shared

    room = []
    for _ in range(48):  # a room's browsers, each keeping its connection open
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("GET", "/login")
        assert connection.getresponse().read()
        room.append(connection)
    held = Counter(worker_of_each(server, [c.sock.getsockname()[1] for c in room]))
    for connection in room:
        connection.close()

    assert set(held) == set(listening), held  # every connection is held by a worker
    assert min(held.values()) >= 2 and max(held.values()) <= 24, held


def test_a_second_camp_on_a_busy_port_says_so_and_the_first_keeps_serving(server, tmp_path):
    server.start()
    second = CampServer(database_url=server.database_url, instance_path=tmp_path / "second")

    result = second.run("up", "--port", str(server.port), timeout=60)

    assert result.returncode != 0
    assert f"Port {server.port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr
    assert requests.get(server.url + "/login", timeout=5).status_code == 200


def test_camp_up_prepares_a_live_session_the_organiser_can_present(server):
    server.start()
    output = "".join(server.output)
    found = re.search(r"Demo live session code: ([A-Z0-9]{3}-[A-Z0-9]{3})", output)
    assert found, output
    code = found.group(1).replace("-", "")
    organiser = requests.Session()
    log_in(organiser, server.url, *server.demo_logins()["organiser"])
    sessions = organiser.get(server.url + "/organiser/live", timeout=5)
    assert found.group(1) in sessions.text
    present = organiser.get(f"{server.url}/live/{code}/present", timeout=5)
    assert present.status_code == 200 and "Waiting to start" in present.text
    student = requests.Session()
    log_in(student, server.url, *server.demo_logins()["student"])
    phone = student.get(f"{server.url}/live/{code}", timeout=5)
    assert phone.status_code == 200 and "Join this live session" in phone.text
