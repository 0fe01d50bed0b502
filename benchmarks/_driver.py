"""A small HTTP driver for benchmarks: one keep-alive connection and a cookie per virtual
user, timings per request kind. Standard library only, so it costs the same against Camp
and against the bare Flask app it is compared with."""

from __future__ import annotations

import http.client
import re
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class Stats:
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float) -> None:
        self.timings[kind].append(seconds)

    def merge(self, other: Stats) -> None:
        for kind, values in other.timings.items():
            self.timings[kind].extend(values)
        self.errors.extend(other.errors)

    def count(self, kind: str) -> int:
        return len(self.timings.get(kind, []))

    def p99_ms(self, kind: str) -> float:
        values = sorted(self.timings.get(kind, []))
        if not values:
            return 0.0
        return values[min(len(values) - 1, int(len(values) * 0.99))] * 1000


class Client:
    """One user's browser. Given several ports (hosts), it sends each request to the next
    host in turn, starting at the `first`, as a load balancer without sticky sessions may."""

    def __init__(
        self, port: int | Sequence[int], stats: Stats, language: str = "", first: int = 0
    ) -> None:
        self.ports = [port] if isinstance(port, int) else list(port)
        self.stats = stats
        self.cookie = ""
        self.language = language  # sent as Accept-Language when set
        self.conns = [self._connect(port) for port in self.ports]
        self.turn = first

    @staticmethod
    def _connect(port: int) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        form: dict | list | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str, str]:
        body = urlencode(form, doseq=True) if form is not None else None
        sent = {"Cookie": self.cookie} if self.cookie else {}
        if self.language:
            sent["Accept-Language"] = self.language
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        host = self.turn % len(self.conns)
        self.turn += 1
        started = time.perf_counter()
        for tries in range(2):
            try:
                self.conns[host].request(method, path, body=body, headers=sent)
                response = self.conns[host].getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, ConnectionError):
                self.conns[host].close()
                self.conns[host] = self._connect(self.ports[host])
                if tries:
                    self.stats.errors.append(f"{method} {path}: connection failed")
                    return 0, "", ""
        self.stats.add(kind, time.perf_counter() - started)
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        if response.status >= 400:
            self.stats.errors.append(f"{method} {path}: {response.status}")
        return response.status, response.getheader("Location") or "", text

    def close(self) -> None:
        for conn in self.conns:
            conn.close()


def token_of(html: str) -> str:
    match = TOKEN.search(html)
    return match.group(1) if match else ""
