"""Live-session load benchmark: a room of phones plays a live quiz against a real server.

    python benchmarks/live.py --phones 300
    python benchmarks/live.py --phones 100 --questions 10 --poll-ms 1000

Seeds a throwaway SQLite database (or DATABASE_URL's PostgreSQL: each run adds its own
users, cohort, questions and session, so the database need not be empty) with an
organiser, N students in one cohort, and a session of --questions single-choice bank
questions (30 s each). Starts Camp the way `camp up` serves it (waitress, the same
workers and threads) on a free port. The phones are logged-in students of the cohort:
each logs in through the real login form, joins with the code, and then behaves like
camp/static/live-phone.js: polls `/live/<code>/state` every --poll-ms (plus up to 250 ms
of jitter) with the last ETag, fetches the stage when the tag changes, answers a random
option a few seconds after the question shows, keeps the answer (and its idempotency
key) until the server acknowledges it, and polls again at once after an ack. The
organiser presses "next", waits until every phone has answered (polling the presenter's
state each second, as the projector does), presses "reveal", and after the last
question "end".

During each question 20 % of the phones drop off and come back after 0.5-3 s on a new
connection with the same cookies: a third lose the answer's ack (the request is sent, the
connection reset before the response is read, and the same key sent again after the
reconnect), a third cut a state poll the same way, a third lose an idle connection.

At the end the database is read: every answer a phone had an ack for, or kept trying to
send without being told it was late, must be stored, once, under that phone's key. In the
same run a bare Flask "ok" app is served with the same server settings and hammered by
the same driver for --seconds (the ceiling, `hello_rps`), and in the lobby every phone
polls the unchanged state as fast as it can for --seconds (`state_rps`, 304s).

The driver is one asyncio process with raw HTTP/1.1 keep-alive connections (standard
library only), so it takes as little as it can of the cores the server needs. While Camp
runs, its CPU time (`server_cpu_s`), the driver's (`driver_cpu_s`) and that of everything
else on the machine (`other_cpu_s`, out of `cores_s`; PostgreSQL's own processes count
there) are reported: on a shared machine, other work stretches every tail.

The last line is one JSON object: phones, questions, answers (rows stored), lost_answers,
duplicate_answers, errors (5xx, unexpected statuses, connection failures other than the
deliberate drops), ack_p99_ms (an answer's POST to its 200 ack), reveal_p99_ms ("next"
sent to each phone holding the new question's stage), reconnects, hello_rps, and more:
p50s, state_rps and state_ratio, polls, not_modified, late (answers refused as late).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._driver import token_of  # noqa: E402
from benchmarks.load import HELLO_APP, free_port, wait_for  # noqa: E402

PASSWORD = "live-bench-pass"
TIME_LIMIT_S = 30
DROP_SHARE = 0.2
OFFLINE_S = (0.5, 3.0)
JITTER_S = 0.25  # live-phone.js: POLL_MS + Math.random() * 250
REVEAL_PAUSE_S = 3.0  # how long the organiser shows each answer
DROP_MODES = ("ack_lost", "poll_cut", "idle_cut")

STAGE = re.compile(
    r'<div class="live-stage" data-phase="(\w+)" data-tag="([^"]+)"'
    r'(?: data-item="(\d+)" data-open="(true|false)")?'
)
OPTION = re.compile(r'name="answer" value="([A-Z])"')
ANSWER_KEY = re.compile(r'name="key" value="([^"]+)"')


# -- the HTTP client ------------------------------------------------------------------------


class Dropped(Exception):
    """The connection failed: reset, closed, or an unreadable response."""


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    cookies: list[str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Connection:
    """One HTTP/1.1 keep-alive connection, opened on first use; one request at a time."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def send(self, method: str, path: str, headers: dict[str, str], body: bytes) -> None:
        await self._open()
        assert self.writer is not None
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await self.writer.drain()

    async def receive(self, method: str) -> Reply:
        assert self.reader is not None
        status_line = await self.reader.readline()
        if not status_line:
            raise Dropped("closed by the server")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        cookies: list[str] = []
        while (line := await self.reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookies.append(value)
            headers[name] = value
        body = await self._body(method, status, headers)
        if headers.get("connection", "").lower() == "close":
            self.close()
        return Reply(status, headers, cookies, body)

    async def _body(self, method: str, status: int, headers: dict[str, str]) -> bytes:
        assert self.reader is not None
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            return b""
        if "content-length" in headers:
            return await self.reader.readexactly(int(headers["content-length"]))
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readline()
            await self.reader.readline()  # the empty trailer
            return b"".join(chunks)
        return await self.reader.read()  # until the server closes

    async def request(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        try:
            await self.send(method, path, headers, body)
            return await self.receive(method)
        except (OSError, EOFError, asyncio.IncompleteReadError, ValueError, IndexError) as error:
            self.close()
            raise Dropped(repr(error)) from error

    def abort(self) -> None:
        """Drop the connection at once (a reset), whatever is in flight."""
        if self.writer is not None:
            self.writer.transport.abort()
        self.reader = self.writer = None

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Tally:
    """Everything the run measures, shared by every phone, the organiser and the crowd."""

    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def add(self, kind: str, seconds: float) -> None:
        self.timings[kind].append(seconds)

    def percentile_ms(self, kind: str, share: float) -> float:
        values = sorted(self.timings.get(kind, []))
        if not values:
            return 0.0
        return round(values[min(len(values) - 1, int(len(values) * share))] * 1000, 1)


class Browser:
    """A connection and a cookie jar (every path of Camp's cookies covers /live and /login);
    times each request by kind and counts what went wrong."""

    def __init__(self, port: int, tally: Tally) -> None:
        self.port = port
        self.tally = tally
        self.conn = Connection(port)
        self.cookies: dict[str, str] = {}

    def headers(self, extra: dict[str, str] | None, form: bool) -> dict[str, str]:
        sent = {}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(extra or {})
        return sent

    def keep_cookies(self, reply: Reply) -> None:
        for cookie in reply.cookies:
            pair, _, attributes = cookie.partition(";")
            name, _, value = pair.strip().partition("=")
            if not value or "max-age=0" in attributes.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    async def call(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        form: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> Reply | None:
        """The reply, or None after a connection failure (counted as an error)."""
        body = urlencode(form).encode() if form is not None else b""
        started = time.monotonic()
        try:
            reply = await self.conn.request(
                method, path, self.headers(headers, form is not None), body
            )
        except Dropped as error:
            self.tally.errors.append(f"{method} {path}: connection failed ({error})")
            return None
        self.tally.add(kind, time.monotonic() - started)
        self.keep_cookies(reply)
        if reply.status not in expect:
            self.tally.errors.append(f"{method} {path}: unexpected {reply.status}")
        return reply

    async def send_and_drop(self, method: str, path: str, form: dict[str, Any]) -> None:
        """Send a request and reset the connection without reading the reply."""
        headers = self.headers({"Accept": "application/json"}, True)
        with contextlib.suppress(OSError):
            await self.conn.send(method, path, headers, urlencode(form).encode())
        self.conn.abort()

    def reconnect(self) -> None:
        self.conn.abort()
        self.conn = Connection(self.port)

    async def log_in(self, email: str) -> bool:
        page = await self.call("login_page", "GET", "/login")
        if page is None:
            return False
        form = {"email": email, "password": PASSWORD, "csrf_token": token_of(page.text)}
        reply = await self.call("login", "POST", "/login", form=form, expect=(302,))
        return reply is not None and reply.status == 302


# -- the room -------------------------------------------------------------------------------


@dataclass
class Game:
    """What the organiser and the phones share: the session, its items in order, when
    "next" was sent for each item, and which phones drop off during each."""

    code: str
    items: list[int]
    tally: Tally
    poll_s: float
    think_s: tuple[float, float]
    next_sent: dict[int, float] = field(default_factory=dict)
    drops: dict[int, dict[int, str]] = field(default_factory=dict)
    reconnects: int = 0
    over: bool = False  # set when the organiser cannot go on: the phones stop


@dataclass
class Pending:
    """An answer kept until the server acknowledges it (or says it is too late)."""

    item: int
    key: str
    letter: str
    csrf: str


class Phone:
    """One student's phone: live-phone.js, one request at a time."""

    def __init__(self, index: int, port: int, game: Game, email: str) -> None:
        self.index = index
        self.email = email
        self.game = game
        self.browser = Browser(port, game.tally)
        self.etag = ""
        self.shown_tag = ""
        self.csrf = ""
        self.seen_items: set[int] = set()
        self.pending: Pending | None = None
        self.poll_at = 0.0
        self.answer_at: float | None = None
        self.answer_plan: Pending | None = None
        self.drop_at: float | None = None
        self.drop_mode = ""
        self.done = False
        # What the database must hold at the end.
        self.acked: dict[int, str] = {}
        self.tried: dict[int, str] = {}
        self.late: set[int] = set()

    @property
    def base(self) -> str:
        return f"/live/{self.game.code}"

    async def join(self) -> bool:
        if not await self.browser.log_in(self.email):
            return False
        page = await self.browser.call("join_page", "GET", "/live")
        if page is None:
            return False
        form = {"code": self.game.code, "csrf_token": token_of(page.text)}
        joined = await self.browser.call("join", "POST", "/live", form=form, expect=(302,))
        phone = await self.browser.call("phone_page", "GET", self.base)
        if joined is None or phone is None or "data-live-phone" not in phone.text:
            self.game.tally.errors.append(f"{self.email} could not join")
            return False
        self.csrf = token_of(phone.text)
        self.show(phone.text)
        return True

    # The loop: every step is one of a poll, an answer, a drop, each at its own time.

    async def play(self, deadline: float) -> None:
        self.poll_at = time.monotonic() + random.random() * self.game.poll_s
        while not self.done and not self.game.over and time.monotonic() < deadline:
            due = [self.poll_at]
            due += [t for t in (self.answer_at, self.drop_at) if t is not None]
            await asyncio.sleep(max(0.0, min(due) - time.monotonic()))
            now = time.monotonic()
            if self.drop_at is not None and now >= self.drop_at:
                await self.drop_off()
            elif self.answer_at is not None and now >= self.answer_at:
                await self.answer()
            elif now >= self.poll_at:
                await self.poll()

    async def poll(self) -> None:
        headers = {"Accept": "application/json"}
        if self.etag:
            headers["If-None-Match"] = self.etag
        tally = self.game.tally
        reply = await self.browser.call(
            "state", "GET", f"{self.base}/state", headers=headers, expect=(200, 304)
        )
        self.poll_at = time.monotonic() + self.game.poll_s + random.random() * JITTER_S
        if reply is None:
            return
        tally.counts["polls"] += 1
        if reply.status == 304:
            tally.counts["not_modified"] += 1
        elif reply.status == 200:
            self.etag = reply.headers.get("etag", "")
            data = reply.json()
            if not data.get("joined"):
                tally.errors.append(f"{self.email}: state says not joined")
            elif data["tag"] != self.shown_tag:
                await self.fetch_stage()
            if data.get("phase") == "ended":
                self.done = True
        if self.pending is not None:
            await self.send_pending()

    async def fetch_stage(self) -> None:
        reply = await self.browser.call("stage", "GET", f"{self.base}/stage")
        if reply is not None and reply.status == 200:
            self.show(reply.text)

    def show(self, html: str) -> None:
        """Swap the stage in; a newly asked question is timed and planned for."""
        found = STAGE.search(html)
        if found is None:
            self.game.tally.errors.append(f"{self.email}: no stage in the page")
            return
        phase, self.shown_tag, item, is_open = found.groups()
        if phase != "question" or is_open != "true" or int(item) in self.seen_items:
            return
        item_id = int(item)
        self.seen_items.add(item_id)
        now = time.monotonic()
        if item_id in self.game.next_sent:
            self.game.tally.add("reveal", now - self.game.next_sent[item_id])
        letters = OPTION.findall(html)
        key = ANSWER_KEY.search(html)
        if not letters or key is None:
            self.game.tally.errors.append(f"{self.email}: no answer form for item {item_id}")
            return
        token = token_of(html) or self.csrf
        self.answer_plan = Pending(item_id, key.group(1), random.choice(letters), token)
        self.answer_at = now + random.uniform(*self.game.think_s)
        self.drop_mode = self.game.drops.get(item_id, {}).get(self.index, "")
        if self.drop_mode in ("poll_cut", "idle_cut"):
            self.drop_at = now + random.uniform(0.1, self.answer_at - now)

    async def answer(self) -> None:
        """The student taps an option: the answer is kept, then sent."""
        assert self.answer_plan is not None
        self.pending, self.answer_plan, self.answer_at = self.answer_plan, None, None
        self.game.tally.counts["taps"] += 1
        self.tried[self.pending.item] = self.pending.key
        if self.drop_mode == "ack_lost":
            self.drop_mode = ""
            await self.browser.send_and_drop("POST", f"{self.base}/answer", self.form())
            await self.offline()
        await self.send_pending()

    def form(self) -> dict[str, str]:
        assert self.pending is not None
        return {
            "csrf_token": self.pending.csrf,
            "item": str(self.pending.item),
            "key": self.pending.key,
            "answer": self.pending.letter,
        }

    async def send_pending(self) -> None:
        assert self.pending is not None
        tally = self.game.tally
        reply = await self.browser.call(
            "ack",
            "POST",
            f"{self.base}/answer",
            form=self.form(),
            headers={"Accept": "application/json"},
            expect=(200, 409),
        )
        if reply is None or reply.status not in (200, 409):
            return  # kept: sent again after the next poll
        sent, self.pending = self.pending, None
        if reply.status == 409:
            tally.counts["late"] += 1
            self.late.add(sent.item)
        else:
            ack = reply.json()
            if ack.get("item_id") != sent.item or not (ack["accepted"] or ack["duplicate"]):
                tally.errors.append(f"{self.email}: odd ack {ack}")
            elif ack["duplicate"]:
                tally.counts["duplicate_acks"] += 1
            self.acked[sent.item] = sent.key
        self.etag = ""  # the stage changes (answer received): fetch it now
        self.poll_at = time.monotonic()

    async def drop_off(self) -> None:
        """Lose the connection mid-question: cut a poll in flight, or an idle one."""
        mode, self.drop_at, self.drop_mode = self.drop_mode, None, ""
        if mode == "poll_cut":
            headers = self.browser.headers({"If-None-Match": self.etag}, False)
            with contextlib.suppress(OSError):
                await self.browser.conn.send("GET", f"{self.base}/state", headers, b"")
        await self.offline()
        if self.pending is not None:
            await self.send_pending()

    async def offline(self) -> None:
        """No network for a moment, then a new connection with the same cookies; the
        answer kept meanwhile goes out when its time comes."""
        self.browser.conn.abort()
        await asyncio.sleep(random.uniform(*OFFLINE_S))
        self.browser.reconnect()
        self.game.reconnects += 1
        self.poll_at = time.monotonic()

    def close(self) -> None:
        self.browser.conn.close()


class Organiser:
    """The host at the projector: next, wait for the room, reveal; the presenter's polls."""

    def __init__(self, port: int, game: Game, email: str, phones: list[Phone]) -> None:
        self.game = game
        self.browser = Browser(port, game.tally)
        self.email = email
        self.phones = phones
        self.version = 0
        self.csrf = ""

    @property
    def base(self) -> str:
        return f"/live/{self.game.code}"

    async def log_in(self) -> None:
        if not await self.browser.log_in(self.email):
            raise RuntimeError("the organiser could not log in")
        page = await self.browser.call("present", "GET", f"{self.base}/present")
        assert page is not None
        self.csrf = token_of(page.text)
        self.version = (await self.counts())["version"]

    async def counts(self) -> dict[str, Any]:
        reply = await self.browser.call("present_state", "GET", f"{self.base}/present/state")
        return reply.json() if reply is not None and reply.status == 200 else {}

    async def press(self, action: str) -> None:
        form = {"action": action, "seen": self.version, "csrf_token": self.csrf}
        reply = await self.browser.call(
            "control",
            "POST",
            f"{self.base}/control",
            form=form,
            headers={"Accept": "application/json"},
        )
        if reply is None or reply.status != 200 or not reply.json().get("done"):
            raise RuntimeError(f"{action} failed: {reply and reply.text}")
        self.version = reply.json()["version"]
        await self.browser.call("present_stage", "GET", f"{self.base}/present/stage")

    def choose_drops(self, item: int) -> None:
        chosen = random.sample(self.phones, round(len(self.phones) * DROP_SHARE))
        self.game.drops[item] = {p.index: DROP_MODES[i % 3] for i, p in enumerate(chosen)}

    async def run(self) -> None:
        for item in self.game.items:
            self.choose_drops(item)
            self.game.next_sent[item] = time.monotonic()
            await self.press("next")
            await self.wait_for_answers()
            await self.press("reveal")
            await asyncio.sleep(REVEAL_PAUSE_S)
        await self.press("end")

    async def wait_for_answers(self) -> None:
        deadline = time.monotonic() + TIME_LIMIT_S + 1
        while time.monotonic() < deadline:
            await asyncio.sleep(1)
            counts = await self.counts()
            if counts and counts["answers"] >= counts["joined"]:
                return
        self.game.tally.counts["questions_timed_out"] += 1


# -- the phases -----------------------------------------------------------------------------


async def hammer(port: int, users: int, seconds: float, path: str, tally: Tally) -> float:
    """Requests a second of `users` connections asking for `path` back to back."""
    stop = time.monotonic() + seconds

    async def one(browser: Browser) -> None:
        while time.monotonic() < stop:
            if await browser.call("hammer", "GET", path) is None:
                return

    browsers = [Browser(port, tally) for _ in range(users)]
    began = time.monotonic()
    await asyncio.gather(*(one(b) for b in browsers))
    elapsed = time.monotonic() - began
    for browser in browsers:
        browser.conn.close()
    return len(tally.timings["hammer"]) / elapsed


async def measure_state(phones: list[Phone], seconds: float) -> float:
    """Every phone polls the unchanged lobby state back to back: 304s a second."""
    tally = phones[0].game.tally
    stop = time.monotonic() + seconds

    async def one(phone: Phone) -> None:
        path = f"{phone.base}/state"
        first = await phone.browser.call("lobby_state", "GET", path)
        tag = first.headers.get("etag", "") if first is not None else ""
        while first is not None and time.monotonic() < stop:
            headers = {"If-None-Match": tag}
            if await phone.browser.call("lobby_304", "GET", path, headers=headers, expect=(304,)):
                continue
            return

    began = time.monotonic()
    await asyncio.gather(*(one(p) for p in phones))
    return len(tally.timings["lobby_304"]) / (time.monotonic() - began)


async def gather_limited(limit: int, jobs: list) -> list:
    gate = asyncio.Semaphore(limit)

    async def one(job: Any) -> Any:
        async with gate:
            return await job

    return await asyncio.gather(*(one(j) for j in jobs))


async def play(port: int, seed_data: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    tally = Tally()
    game = Game(
        code=seed_data["code"],
        items=seed_data["items"],
        tally=tally,
        poll_s=args.poll_ms / 1000,
        think_s=(1.0, args.think_s),
    )
    phones = [Phone(i, port, game, email) for i, email in enumerate(seed_data["students"])]
    organiser = Organiser(port, game, seed_data["organiser"], phones)
    await organiser.log_in()
    joined = await gather_limited(32, [p.join() for p in phones])
    playing = [p for p, ok in zip(phones, joined, strict=True) if ok]
    print(f"{len(playing)} phones joined", flush=True)
    state_rps = await measure_state(playing, args.seconds)
    print(f"lobby state: {state_rps:.0f} 304s/s", flush=True)
    deadline = time.monotonic() + len(game.items) * (TIME_LIMIT_S + 10) + 60
    began = time.monotonic()
    players = [asyncio.create_task(p.play(deadline)) for p in playing]
    try:
        await organiser.run()
    except RuntimeError as error:  # a control refused or failed: counted, and the run ends
        tally.errors.append(str(error))
        game.over = True
    await asyncio.wait(players, timeout=10 + 2 * args.poll_ms / 1000)
    for task in players:
        task.cancel()
    game_s = time.monotonic() - began
    for phone in phones:
        phone.close()
    organiser.browser.conn.close()
    return {
        "tally": tally,
        "phones": phones,
        "game": game,
        "state_rps": state_rps,
        "game_s": game_s,
        "stuck": sum(1 for p in playing if not p.done),
    }


# -- the database ---------------------------------------------------------------------------

SEED = """
import json, sys
from camp import create_app
from camp.accounts import services as accounts
from camp.bank import services as bank
from camp.bank.services import QuestionDraft
from camp.db import utcnow
from camp.extensions import db
from camp.live import services as live
from camp.live.models import LiveItem
from camp.live.plan import ItemDraft, LiveSettings
from flask_migrate import upgrade
from sqlalchemy import select

run, password = sys.argv[1], sys.argv[4]
phones, questions, limit = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[5])
# Logins are not what is measured: a cheap scrypt keeps seeding and logging in quick.
app = create_app({"PASSWORD_HASH_METHOD": "scrypt:1024:8:1"})
with app.app_context():
    upgrade()
    organiser = accounts.create_user(email=f"org-{run}@example.org", display_name="Org",
                                     password=password, role="organiser")
    cohort = accounts.create_cohort(f"Live bench {run}", organiser=organiser)
    students = []
    for i in range(phones):
        email = f"s{i}-{run}@example.org"
        user = accounts.create_user(email=email, display_name=f"Student {i}", password=password)
        accounts.add_member(cohort, user)
        students.append(email)
    category = bank.ensure_category(f"Live bench {run}")
    drafts = []
    for n in range(questions):
        options = [{"text": f"Right {n}", "weight": 100}]
        options += [{"text": f"Wrong {n}{c}", "weight": 0} for c in "abc"]
        draft = QuestionDraft(type="single_choice", text=f"Question {n + 1}: which is right?",
                              spec={"options": options})
        question = bank.create_question(draft, category=category, uid=f"live-{run}-{n}")
        drafts.append(ItemDraft.question(question.id, time_limit_s=limit))
    session = live.create_session(organiser, "Live bench", [cohort], drafts, LiveSettings(),
                                  utcnow())
    db.session.commit()
    items = db.session.scalars(select(LiveItem.id).where(LiveItem.session_id == session.id)
                               .order_by(LiveItem.position)).all()
    print(json.dumps({"code": session.code, "items": list(items), "students": students,
                      "organiser": organiser.email}))
"""

CHECK = """
import json, sys
from sqlalchemy import func, select
from camp import create_app
from camp.accounts.models import User
from camp.extensions import db
from camp.live.models import LiveAnswer, LiveItem, LiveParticipant, LiveSession
app = create_app()
with app.app_context():
    session_id = db.session.scalar(select(LiveSession.id).where(LiveSession.code == sys.argv[1]))
    rows = db.session.execute(
        select(LiveAnswer.live_item_id, User.email, LiveAnswer.idempotency_key)
        .join(LiveParticipant, LiveParticipant.id == LiveAnswer.participant_id)
        .join(User, User.id == LiveParticipant.user_id)
        .join(LiveItem, LiveItem.id == LiveAnswer.live_item_id)
        .where(LiveItem.session_id == session_id)
    ).all()
    per_pair = (
        select(func.count(LiveAnswer.id).label("n"))
        .join(LiveItem, LiveItem.id == LiveAnswer.live_item_id)
        .where(LiveItem.session_id == session_id)
        .group_by(LiveAnswer.live_item_id, LiveAnswer.participant_id)
        .subquery()
    )
    extra = db.session.scalar(select(func.coalesce(func.sum(per_pair.c.n - 1), 0)))
    print(json.dumps({"rows": [list(r) for r in rows], "extra_rows": int(extra)}))
"""


def run_python(code: str, env: dict[str, str], *args: object) -> Any:
    """Run `code` against the database; its last line of output is JSON."""
    out = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def audit(phones: list[Phone], stored: dict[str, Any]) -> tuple[int, int, int]:
    """(answers stored, lost, duplicate) as the contract counts them."""
    keys: dict[tuple[int, str], list[str]] = defaultdict(list)
    for item, email, key in stored["rows"]:
        keys[(item, email)].append(key)
    lost = 0
    duplicate = stored["extra_rows"]
    for phone in phones:
        for item, key in phone.tried.items():
            found = keys.get((item, phone.email))
            if not found:
                # Lost when acked, or kept being sent without being told it was late.
                lost += item in phone.acked or item not in phone.late
            elif key not in found:
                duplicate += 1  # stored under a key this phone never sent for it
    return len(stored["rows"]), lost, duplicate


# -- the servers ----------------------------------------------------------------------------


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_busy_s() -> float:
    """CPU seconds every core of the machine has spent busy since boot (Linux; else 0).

    Why: other work on a shared machine takes the cores the server needs, and stretches
    every tail; the run reports how much there was."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def measure_hello(env: dict[str, str], users: int, seconds: float) -> float:
    port = free_port()
    hello = subprocess.Popen([sys.executable, "-c", HELLO_APP, str(port)], env=env, cwd=ROOT)
    try:
        wait_for(port, "/", hello)
        return asyncio.run(hammer(port, users, seconds, "/", Tally()))
    finally:
        hello.terminate()
        hello.wait()


def start_camp(env: dict[str, str], port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "from camp.cli import main; main()", "up", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--poll-ms", type=int, default=1000, help="as live-phone.js: 1000")
    parser.add_argument(
        "--think-s", type=float, default=6.0, help="phones answer 1 to this many s in"
    )
    parser.add_argument("--seconds", type=float, default=5, help="the hello and state phases")
    parser.add_argument("--seed", type=int, default=None, help="for the drops and the choices")
    args = parser.parse_args()
    random.seed(args.seed)

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.setdefault("DATABASE_URL", f"sqlite:///{tmp}/live.sqlite3")
        env.update(CAMP_INSTANCE_PATH=tmp, PYTHONUNBUFFERED="1", PYTHONPATH=str(ROOT))
        run = os.urandom(3).hex()
        print(f"seeding {args.phones} students, {args.questions} questions…", flush=True)
        seed_data = run_python(SEED, env, run, args.phones, args.questions, PASSWORD, TIME_LIMIT_S)

        hello_rps = measure_hello(env, args.phones, args.seconds)
        print(f"bare Flask ok: {hello_rps:.0f} requests/s", flush=True)

        port = free_port()
        cpu_before, busy_before = children_cpu_s(), machine_busy_s()
        driver_before, began = time.process_time(), time.monotonic()
        camp = start_camp(env, port)
        try:
            wait_for(port, "/login", camp)
            outcome = asyncio.run(play(port, seed_data, args))
        finally:
            camp.terminate()
            camp.wait()
        cpu = {
            "server": children_cpu_s() - cpu_before,
            "driver": time.process_time() - driver_before,
            "machine": machine_busy_s() - busy_before,
            "seconds": time.monotonic() - began,
        }
        stored = run_python(CHECK, env, seed_data["code"])

    print(json.dumps(summary(args, outcome, stored, hello_rps, cpu)))


def summary(
    args: argparse.Namespace,
    outcome: dict[str, Any],
    stored: dict[str, Any],
    hello_rps: float,
    cpu: dict[str, float],
) -> dict[str, Any]:
    tally: Tally = outcome["tally"]
    game: Game = outcome["game"]
    answers, lost, duplicate = audit(outcome["phones"], stored)
    if outcome["stuck"]:
        tally.errors.append(f"{outcome['stuck']} phones never saw the session end")
    for error, times in Counter(tally.errors).most_common(10):
        print(f"error ({times}x): {error}", flush=True)
    game_s = outcome["game_s"]
    requests = sum(len(tally.timings[k]) for k in ("state", "stage", "ack", "present_state"))
    return {
        "phones": args.phones,
        "questions": len(game.items),
        "answers": answers,
        "lost_answers": lost,
        "duplicate_answers": duplicate,
        "errors": len(tally.errors),
        "ack_p99_ms": tally.percentile_ms("ack", 0.99),
        "reveal_p99_ms": tally.percentile_ms("reveal", 0.99),
        "reconnects": game.reconnects,
        "hello_rps": round(hello_rps, 1),
        "ack_p50_ms": tally.percentile_ms("ack", 0.5),
        "reveal_p50_ms": tally.percentile_ms("reveal", 0.5),
        "state_p50_ms": tally.percentile_ms("state", 0.5),
        "state_p99_ms": tally.percentile_ms("state", 0.99),
        "stage_p99_ms": tally.percentile_ms("stage", 0.99),
        "control_max_ms": tally.percentile_ms("control", 1.0),
        "polls": tally.counts["polls"],
        "not_modified": tally.counts["not_modified"],
        "late": tally.counts["late"],
        "game_rps": round(requests / game_s, 1),
        "state_rps": round(outcome["state_rps"], 1),
        "state_ratio": round(outcome["state_rps"] / hello_rps, 3),
        "poll_ms": args.poll_ms,
        "game_s": round(game_s, 1),
        # While Camp ran: its CPU, the driver's, the rest of the machine's, and the cores'
        # capacity (cores x seconds).
        "server_cpu_s": round(cpu["server"], 1),
        "driver_cpu_s": round(cpu["driver"], 1),
        "other_cpu_s": round(max(0.0, cpu["machine"] - cpu["server"] - cpu["driver"]), 1),
        "cores_s": round((os.cpu_count() or 1) * cpu["seconds"], 1),
        "database": "postgresql"
        if "postgresql" in os.environ.get("DATABASE_URL", "")
        else "sqlite",
    }


if __name__ == "__main__":
    main()
