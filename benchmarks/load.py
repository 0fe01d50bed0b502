"""Load benchmark: the whole room starts the same quiz in the same second.

    python benchmarks/load.py --students 200 --seconds 10

Seeds a throwaway SQLite database (or DATABASE_URL's PostgreSQL), starts Camp the way
`camp up` serves it (waitress, same threads) on a free port, and drives N virtual students:
log in, all press Start within one second, then read question pages, save answers, answer
10 questions and submit, then open their review (/review) for --seconds: the quiz's
answers are shown at once in this benchmark, so its questions may be reviewed and each
student's review page shows one (the first request introduces it). In the same run a bare
Flask "ok" app is served with the same server settings and measured with the same driver:
the ceiling. Throughput phases run for --seconds each. The database is checked at the end:
every submitted attempt must have all its answers. The last line is one JSON object (see
the README's performance section).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
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


class Student:
    def __init__(self, index: int, port: int, language: str = "") -> None:
        self.stats = Stats()
        self.client = Client(port, self.stats, language)
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
    port: int, students: int, seconds: float, language: str = ""
) -> tuple[Stats, dict[str, float]]:
    crowd = [Student(i, port, language) for i in range(students)]
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


def measure_hello(port: int, users: int, seconds: float) -> tuple[float, float]:
    """The bare app's requests a second and p99 in ms, under the same crowd."""
    stats = Stats()
    clients = [Client(port, stats) for _ in range(users)]
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
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.setdefault("DATABASE_URL", f"sqlite:///{tmp}/load.sqlite3")
        # The login limiter stays on, as `camp up` runs it: it counts only failed logins.
        env.update(CAMP_INSTANCE_PATH=tmp, PYTHONUNBUFFERED="1")
        print(f"seeding {args.students} students…", flush=True)
        seed(env, args.students)

        hello_port = free_port()
        hello = subprocess.Popen(
            [sys.executable, "-c", HELLO_APP, str(hello_port)], env=env, cwd=ROOT
        )
        try:
            wait_for(hello_port, "/", hello)
            hello_rps, hello_p99 = measure_hello(hello_port, args.students, args.seconds)
        finally:
            hello.terminate()
            hello.wait()
        print(f"bare Flask ok: {hello_rps:.0f} requests/s", flush=True)

        port = free_port()
        camp = subprocess.Popen(
            [sys.executable, "-c", "from camp.cli import main; main()", "up", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_for(port, "/login", camp)
            stats, phases = measure_camp(port, args.students, args.seconds, args.language)
        finally:
            camp.terminate()
            camp.wait()
        submitted, incomplete = check_database(env)

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
