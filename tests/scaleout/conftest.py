"""The two-host topology of the scale-out tests: hosts A and B (gunicorn, two workers each,
as camp/gunicorn_conf.py runs them), one PostgreSQL database, one Redis for the login
limiter, set up by the README's deployment recipe (`camp db upgrade`, `camp content load`,
the same CAMP_SECRET_KEY on both hosts, CAMP_PROXY_FIX_HOPS=1 behind the balancer).

It is started once for the tests of this folder; before each test, a host a test killed
and a Redis a test stopped are started again. The tests run on PostgreSQL only
(CAMP_TEST_DATABASE_URL), with redis-server, gunicorn and the redis client installed;
otherwise they are skipped with a message that says what is missing, and with
CAMP_SCALEOUT_REQUIRED=1 (CI) the run stops instead, so a broken install can never pass as
a green run.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from camp import caches
from camp.extensions import db
from tests.conftest import fresh_database_url, is_postgres, make_app
from tests.support.topology import Host, RedisServer, redis_server_path, run_camp, start_all

INSTALL_HINT = (
    "apt-get install redis-server, pip install -e '.[test]', and "
    "CAMP_TEST_DATABASE_URL=postgresql://... (see the README's PostgreSQL section)"
)


def topology_problem() -> str | None:
    """None when the topology can run here; else what is missing."""
    missing = []
    if redis_server_path() is None:
        missing.append("Debian's redis-server")
    missing += [name for name in ("gunicorn", "redis") if importlib.util.find_spec(name) is None]
    if not is_postgres(os.environ.get("CAMP_TEST_DATABASE_URL", "")):
        missing.append("PostgreSQL (CAMP_TEST_DATABASE_URL)")
    if not missing:
        return None
    return f"the two-host tests need {', '.join(missing)}: {INSTALL_HINT}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    ours = [item for item in items if item.get_closest_marker("scaleout")]
    problem = topology_problem() if ours else None
    if problem is None:
        return
    if os.environ.get("CAMP_SCALEOUT_REQUIRED") == "1":
        raise pytest.UsageError(f"CAMP_SCALEOUT_REQUIRED=1 but {problem}")
    for item in ours:
        item.add_marker(pytest.mark.skip(reason=problem))


@dataclass
class Topology:
    a: Host
    b: Host
    redis: RedisServer
    database_url: str
    env: dict[str, str] = field(repr=False)

    @property
    def hosts(self) -> tuple[Host, Host]:
        return (self.a, self.b)


@pytest.fixture(scope="session")
def topology(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    root = tmp_path_factory.mktemp("scaleout")
    url = fresh_database_url(database_url, root, "scaleout")
    redis = RedisServer(root / "redis")
    redis.start()
    env = {name: value for name, value in os.environ.items() if not name.startswith("CAMP_")}
    env.update(
        CAMP_ENV="production",
        DATABASE_URL=url,
        CAMP_SECRET_KEY=secrets.token_hex(32),
        CAMP_RATELIMIT_STORAGE_URI=redis.url,
        CAMP_PROXY_FIX_HOPS="1",
        CAMP_INSTANCE_PATH=str(root / "admin"),
    )
    try:
        run_camp(env, "db", "upgrade")
        run_camp(env, "content", "load")
        a = Host("a", env, root / "host-a")
        b = Host("b", env, root / "host-b")
        start_all([a, b])
        topology = Topology(a, b, redis, url, env)
        yield topology
        for host in topology.hosts:
            host.stop()
    finally:
        redis.stop()


@pytest.fixture
def deployment(topology: Topology) -> Topology:
    """The topology with both hosts and Redis up, whatever an earlier test did to them."""
    if not topology.redis.running:
        topology.redis.start()
    down = [host for host in topology.hosts if not host.alive]
    if down:
        start_all(down)
    return topology


@pytest.fixture(scope="session")
def _checker_app(topology: Topology, tmp_path_factory: pytest.TempPathFactory):
    app = make_app(topology.database_url, tmp_path_factory.mktemp("scaleout-checker"))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def checker(_checker_app) -> Iterator[None]:
    """An app context on the topology's database, for setting up rows and checking them."""
    caches.clear_all()  # another database's ids may be cached in this process
    with _checker_app.app_context():
        yield
        db.session.remove()
    caches.clear_all()
