"""Load benchmark: the whole room starts the same quiz in the same second.

    python benchmarks/load.py --students 200 --seconds 10
    python benchmarks/load.py --students 200 --hosts 2 --database postgresql://camp:camp@127.0.0.1/camp_load

Seeds a throwaway SQLite database (or --database's PostgreSQL, emptied first: everything in
its public schema is dropped), starts Camp the way `camp up` serves it (waitress, same
threads) on a free port, or with --hosts N (1 included; or --server gunicorn) N gunicorn
instances on N ports as camp/gunicorn_conf.py runs them, sharing the database and, with
N > 1, a Redis for the login limiter (Debian's redis-server, if installed) and one
CAMP_SECRET_KEY. The driver spreads each student's requests over the hosts in turn, as a
load balancer without sticky sessions would. It drives N virtual students:
log in, all press Start within one second, then read question pages, save answers, answer
10 questions and submit, then open their review (/review) for --seconds: the quiz's
answers are shown at once in this benchmark, so its questions may be reviewed and each
student's review page shows one (the first request introduces it). In the same run a bare
Flask "ok" app is served with the same server settings and measured with the same driver:
the ceiling. Throughput phases run for --seconds each. The database is checked at the end:
every submitted attempt must have all its answers. The last line is one JSON object (see
the README's performance section), with "database" ("sqlite" or "postgresql"), "hosts" and
"server" ("waitress" or "gunicorn"). The bare app is served the same way, on as many hosts.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._driver import Client, Stats, token_of  # noqa: E402
from tests.support.topology import Host, RedisServer, redis_server_path, start_all  # noqa: E402

PASSWORD = "load-test-pass"
HELLO_APP = """
import sys
from flask import Flask
from camp.server import DEFAULT_THREADS, default_workers, serve
app = Flask("hello")
@app.get("/")
def ok():
    return "ok"
serve(app, "127.0.0.1", int(sys.argv[1]), DEFAULT_THREADS, default_workers())
"""
# The same bare app for gunicorn, which imports it from a file.
HELLO_MODULE = """
from flask import Flask
app = Flask("hello")
@app.get("/")
def ok():
    return "ok"
"""


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, path: str, process: subprocess.Popen, seconds: float = 60) -> None:
    import http.client

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("server exited early")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                conn.close()
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing answered on port {port}")


def seed(env: dict[str, str], students: int) -> None:
    """Schema, content and N students in one cohort, through the app's own services."""
    code = f"""
from camp import create_app
from camp.accounts import services
from camp.extensions import db
from camp.lessons.loader import load_content
from camp.paths import CONTENT_DIR
from flask_migrate import upgrade
# Logins are not what is measured: a cheap scrypt keeps seeding and logging in quick.
app = create_app({{"PASSWORD_HASH_METHOD": "scrypt:1024:8:1"}})
with app.app_context():
    upgrade()
    load_content(CONTENT_DIR)
    organiser = services.create_user(email="org@example.org", display_name="Org",
                                     password="{PASSWORD}", role="organiser")
    cohort = services.create_cohort("Load test", organiser=organiser)
    # Answers shown at once: the review (the last phase) may then ask the quiz's questions.
    from camp.quizzes.models import Quiz
    from sqlalchemy import update
    db.session.execute(update(Quiz).values(review_answers="immediately"))
    for i in range({students}):
        user = services.create_user(email=f"s{{i}}@example.org", display_name=f"Student {{i}}",
                                    password="{PASSWORD}")
        services.add_member(cohort, user)
    db.session.commit()
"""
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)


def reset_database(url: str) -> None:
    """Empty a PostgreSQL database: its public schema is dropped and made again."""
    from sqlalchemy import create_engine, text

    from camp.config import normalise_database_url

    engine = create_engine(normalise_database_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


class Servers:
    """Camp (or the bare app) as the run asks: `camp up`, or gunicorn on N hosts."""

    def __init__(self, server: str, hosts: int, workers: int, env: dict, tmp: str) -> None:
        self.server, self.hosts, self.workers, self.env, self.tmp = server, hosts, workers, env, tmp
        self.running: list[Host] = []
        self.process: subprocess.Popen | None = None

    def start(self, hello: bool = False) -> list[int]:
        """Start them; the ports to spread requests over."""
        from camp.server import DEFAULT_THREADS

        if self.server == "waitress":
            port = free_port()
            if hello:
                command = [sys.executable, "-c", HELLO_APP, str(port)]
            else:
                command = [sys.executable, "-c", "from camp.cli import main; main()", "up"]
                command += ["--port", str(port)]
            self.process = subprocess.Popen(
                command, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL
            )
            wait_for(port, "/" if hello else "/login", self.process)
            return [port]
        Path(self.tmp, "hello_app.py").write_text(HELLO_MODULE, encoding="utf-8")
        self.running = [
            Host(
                f"{'hello' if hello else 'camp'}-{n}",
                self.env,
                Path(self.tmp) / f"host-{n}",
                workers=self.workers,
                threads=DEFAULT_THREADS,
                app="hello_app:app" if hello else "camp:create_app()",
                ready_path="/" if hello else "/healthz",
                chdir=Path(self.tmp) if hello else ROOT,
            )
            for n in range(self.hosts)
        ]
        start_all(self.running)
        return [host.port for host in self.running]

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait()
            self.process = None
        for host in self.running:
            host.stop()
        self.running = []


class Student:
    def __init__(self, index: int, ports: list[int], language: str = "") -> None:
        self.stats = Stats()
        self.client = Client(ports, self.stats, language, first=index)
        self.email = f"s{index}@example.org"
        self.attempt = ""
        self.token = ""

    def log_in(self) -> None:
        _, _, html = self.client.request("login_page", "GET", "/login")
        status, _, _ = self.client.request(
            "login",
            "POST",
            "/login",
            {"email": self.email, "password": PASSWORD, "csrf_token": token_of(html)},
        )
        if status != 302:
            self.stats.errors.append(f"login {self.email}: {status}")
        _, _, html = self.client.request("quiz_page", "GET", "/modules/why-ip-matters/quiz")
        self.token = token_of(html)
        self.start_path = re.search(r'action="(/quizzes/\d+/start)"', html).group(1)

    def start(self) -> None:
        status, location, _ = self.client.request(
            "start", "POST", self.start_path, {"csrf_token": self.token}
        )
        if status != 302 or "/attempts/" not in location:
            self.stats.errors.append(f"start {self.email}: {status}")
            return
        self.attempt = re.search(r"(/attempts/\d+)", location).group(1)

    def page(self, number: int) -> str:
        return self.client.request("page", "GET", f"{self.attempt}?page={number}")[2]

    def answers(self, html: str) -> list[tuple[str, str]]:
        fields = [("csrf_token", token_of(html) or self.token)]
        fields += [("positions", p) for p in re.findall(r'name="positions" value="(\d+)"', html)]
        seen = set()
        for name, value in re.findall(
            r'type="(?:radio|checkbox)" id="[^"]+" name="(q\d+)" value="([^"]+)"', html
        ):
            if name not in seen:
                seen.add(name)
                fields.append((name, value))
        for name in re.findall(r'<input type="text"[^>]* name="(q\d+)"', html):
            fields.append((name, "20"))
        for name in re.findall(r'<select id="[^"]+" name="(q\d+-\d+)"', html):
            choice = re.search(rf'name="{name}"[^>]*>.*?<option value="([0-9a-f]+)"', html, re.S)
            fields.append((name, choice.group(1)))
        return fields

    def save(self, number: int, html: str) -> None:
        fields = [*self.answers(html), ("go", "next")]
        status, _, _ = self.client.request("save", "POST", f"{self.attempt}?page={number}", fields)
        if status != 302:
            self.stats.errors.append(f"save {self.attempt}: {status}")

    def review(self) -> None:
        status, _, html = self.client.request("review", "GET", "/review")
        if status != 200 or 'name="card"' not in html:
            self.stats.errors.append(f"review {self.email}: {status}, no question")

    def submit(self) -> None:
        status, location, _ = self.client.request(
            "submit", "POST", f"{self.attempt}/submit", {"csrf_token": self.token}
        )
        if status != 302 or not location.endswith("/review"):
            self.stats.errors.append(f"submit {self.attempt}: {status}")


def run_for(seconds: float, work) -> None:
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        work()


def measure_camp(
    ports: list[int], students: int, seconds: float, language: str = ""
) -> tuple[Stats, dict[str, float]]:
    crowd = [Student(i, ports, language) for i in range(students)]
    with ThreadPoolExecutor(min(students, 64)) as pool:
        list(pool.map(lambda s: s.log_in(), crowd))
    barrier = threading.Barrier(students)

    def start(student: Student) -> None:
        barrier.wait()  # everybody presses Start within the same second
        student.start()

    with ThreadPoolExecutor(students) as pool:
        list(pool.map(start, crowd))
    active = [s for s in crowd if s.attempt]
    phases: dict[str, float] = {}

    def pages(student: Student) -> None:
        numbers = itertools.count()  # pages 1..10 in turn (the counter never moved before)
        run_for(seconds, lambda: student.page(1 + next(numbers) % 10))

    def saves(student: Student) -> None:
        html = student.page(1)
        run_for(seconds, lambda: student.save(1, html))

    for name, work in (("page", pages), ("save", saves)):
        began = time.perf_counter()
        with ThreadPoolExecutor(len(active)) as pool:
            list(pool.map(work, active))
        phases[name] = time.perf_counter() - began

    def finish(student: Student) -> None:
        for number in range(1, 11):
            student.save(number, student.page(number))
        student.submit()

    with ThreadPoolExecutor(len(active)) as pool:
        list(pool.map(finish, active))
    with ThreadPoolExecutor(len(active)) as pool:
        list(pool.map(lambda student: student.review(), active))  # each one's first card
    began = time.perf_counter()
    with ThreadPoolExecutor(len(active)) as pool:
        list(pool.map(lambda student: run_for(seconds, student.review), active))
    phases["review"] = time.perf_counter() - began
    stats = Stats()
    for student in crowd:
        stats.merge(student.stats)
        student.client.close()
    return stats, phases


def measure_hello(ports: list[int], users: int, seconds: float) -> tuple[float, float]:
    """The bare app's requests a second and p99 in ms, under the same crowd."""
    stats = Stats()
    clients = [Client(ports, stats, first=n) for n in range(users)]
    began = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        list(pool.map(lambda c: run_for(seconds, lambda: c.request("hello", "GET", "/")), clients))
    elapsed = time.perf_counter() - began
    for client in clients:
        client.close()
    return stats.count("hello") / elapsed, stats.p99_ms("hello")


def check_database(env: dict[str, str]) -> tuple[int, int]:
    """(submitted attempts, those missing an answer), read straight from the database."""
    code = """
from sqlalchemy import func, select
from camp import create_app
from camp.extensions import db
from camp.quizzes.models import Attempt, AttemptQuestion
app = create_app()
with app.app_context():
    submitted = db.session.scalar(
        select(func.count(Attempt.id)).where(Attempt.state == "submitted")
    )
    missing = db.session.scalar(
        select(func.count(func.distinct(AttemptQuestion.attempt_id)))
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(Attempt.state == "submitted", AttemptQuestion.answered.is_(False))
    )
    print(submitted, missing)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    return int(out[0]), int(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument(
        "--language",
        default="en",
        help="Accept-Language of every student (zh-CN: the interface and the questions in Chinese)",
    )
    parser.add_argument(
        "--database",
        default=os.environ.get("DATABASE_URL"),
        help="a PostgreSQL URL to use, emptied first (default: DATABASE_URL, else a fresh "
        "SQLite file)",
    )
    parser.add_argument(
        "--hosts",
        type=int,
        help="N gunicorn instances, 1 included (without it: one host, as `camp up` serves)",
    )
    parser.add_argument(
        "--server",
        choices=("waitress", "gunicorn"),
        help="waitress as `camp up` serves (the default for one host) or gunicorn (for more)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="worker processes per gunicorn host (default: `camp up`'s count shared out "
        "among the hosts, which share this machine's cores)",
    )
    args = parser.parse_args()
    # --hosts N is N gunicorn instances, as a deployment behind a balancer runs them (one
    # of them too); without it Camp is served as `camp up` serves it.
    server = args.server or ("gunicorn" if args.hosts is not None else "waitress")
    args.hosts = 1 if args.hosts is None else args.hosts
    if args.hosts < 1:
        parser.error("--hosts must be at least 1")
    if server == "waitress" and args.hosts != 1:
        parser.error("--hosts N other than 1 runs gunicorn: `camp up` is one host")
    from camp.server import default_workers

    workers = args.workers or max(1, default_workers() // args.hosts)

    with tempfile.TemporaryDirectory() as tmp:
        database = args.database or f"sqlite:///{tmp}/load.sqlite3"
        kind = "postgresql" if database.startswith("postgres") else "sqlite"
        if kind == "postgresql":
            reset_database(database)
        env = dict(os.environ)
        # The login limiter stays on, as `camp up` runs it: it counts only failed logins.
        # One key for every host, as the README's deployment recipe sets it.
        env.update(
            DATABASE_URL=database,
            CAMP_INSTANCE_PATH=tmp,
            PYTHONUNBUFFERED="1",
            CAMP_SECRET_KEY=secrets.token_hex(32),
        )
        redis = None
        if args.hosts > 1 and redis_server_path() is not None:
            redis = RedisServer(Path(tmp) / "redis")
            redis.start()
            env["CAMP_RATELIMIT_STORAGE_URI"] = redis.url
        elif args.hosts > 1:
            print("no redis-server: each host counts failed logins on its own", flush=True)
        try:
            print(f"seeding {args.students} students…", flush=True)
            seed(env, args.students)
            servers = Servers(server, args.hosts, workers, env, tmp)
            try:
                ports = servers.start(hello=True)
                hello_rps, hello_p99 = measure_hello(ports, args.students, args.seconds)
            finally:
                servers.stop()
            print(f"bare Flask ok: {hello_rps:.0f} requests/s", flush=True)
            try:
                ports = servers.start()
                stats, phases = measure_camp(ports, args.students, args.seconds, args.language)
            finally:
                servers.stop()
            submitted, incomplete = check_database(env)
        finally:
            if redis is not None:
                redis.stop()

    if incomplete:
        stats.errors.append(f"{incomplete} submitted attempts are missing answers")
    if submitted != args.students:
        stats.errors.append(f"{submitted} attempts submitted, expected {args.students}")
    for error in stats.errors[:10]:
        print("error:", error, flush=True)
    page_rps = stats.count("page") / (phases["page"] or 1)
    save_rps = stats.count("save") / (phases["save"] or 1)
    review_rps = (stats.count("review") - args.students) / (phases["review"] or 1)
    result = {
        "database": kind,
        "hosts": args.hosts,
        "server": server,
        "students": args.students,
        "language": args.language,
        "requests": sum(len(v) for v in stats.timings.values()),
        "errors": len(stats.errors),
        "page_rps": round(page_rps, 1),
        "save_rps": round(save_rps, 1),
        "start_p99_ms": round(stats.p99_ms("start"), 1),
        "save_p99_ms": round(stats.p99_ms("save"), 1),
        "hello_rps": round(hello_rps, 1),
        "hello_p99_ms": round(hello_p99, 1),
        "page_ratio": round(page_rps / hello_rps, 3),
        "save_ratio": round(save_rps / hello_rps, 3),
        "review_rps": round(review_rps, 1),
        "review_ratio": round(review_rps / hello_rps, 3),
        # A slower machine stretches every tail: p99 as a multiple of the bare app's p99
        # under the same crowd, in the same run.
        "start_p99_ratio": round(stats.p99_ms("start") / (hello_p99 or 1), 2),
        "save_p99_ratio": round(stats.p99_ms("save") / (hello_p99 or 1), 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
