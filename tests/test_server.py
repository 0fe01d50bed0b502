"""`camp up` as a person runs it: a real waitress server on an empty database."""

from __future__ import annotations

import pytest
import requests

from tests.conftest import fresh_database_url
from tests.support.server import CampServer, log_in

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
