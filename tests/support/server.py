"""Start the real `camp up` in a subprocess on a free port, for tests that need a real server."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

CAMP = [sys.executable, "-c", "from camp.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class CampServer:
    database_url: str
    instance_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[str] | None = None
    output: list[str] = field(default_factory=list)
    extra_env: dict[str, str] = field(default_factory=dict)
    args: tuple[str, ...] = ()  # more options for `camp up`

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.database_url,
            CAMP_INSTANCE_PATH=str(self.instance_path),
            CAMP_ENV="development",
            PYTHONUNBUFFERED="1",
        )
        env.pop("CAMP_SECRET_KEY", None)
        env.update(self.extra_env)
        return env

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run another `camp` command against the same database."""
        return subprocess.run(
            [*CAMP, *args], env=self.env(), capture_output=True, text=True, timeout=timeout
        )

    def start(self, timeout: float = 30) -> float:
        """Start `camp up` and wait until /login answers; return the seconds it took."""
        started = time.monotonic()
        self.process = subprocess.Popen(
            [*CAMP, "up", "--port", str(self.port), *self.args],
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._drain_thread = threading.Thread(target=self._drain, args=(self.process,), daemon=True)
        self._drain_thread.start()
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("camp up exited:\n" + "".join(self.output))
            try:
                if requests.get(self.url + "/login", timeout=1).status_code == 200:
                    return time.monotonic() - started
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise TimeoutError("camp up did not answer in time:\n" + "".join(self.output))

    def workers(self) -> list[int]:
        """The worker processes' ids (Linux: read from /proc)."""
        assert self.process is not None
        pid = self.process.pid
        return [int(n) for n in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]

    def _drain(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.output.append(line)

    def demo_logins(self) -> dict[str, tuple[str, str]]:
        """role -> (email, password) as printed once by `camp up`."""
        logins = {}
        for line in self.output:
            match = re.match(r"\s+(\w+)\s+(\S+@\S+)\s+password: (\S+)", line)
            if match:
                logins.setdefault(match.group(1), (match.group(2), match.group(3)))
        return logins

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, like a laptop lid closing on the server."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self._close_output()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_output()

    def _close_output(self) -> None:
        if self.process is None:
            return
        thread = getattr(self, "_drain_thread", None)
        if thread is not None:
            thread.join(timeout=10)
        if self.process.stdout and not self.process.stdout.closed:
            self.process.stdout.close()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    if not match:
        raise AssertionError("no CSRF token in page")
    return match.group(1)


def log_in(
    session: requests.Session, base_url: str, email: str, password: str
) -> requests.Response:
    token = csrf_token(session.get(base_url + "/login", timeout=10).text)
    return session.post(
        base_url + "/login",
        data={"email": email, "password": password, "csrf_token": token},
        timeout=10,
    )


def _socket_inodes(pid: int) -> set[str]:
    """The inodes of the sockets a process holds open (Linux: read from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    return inodes


def _tcp_sockets(port: int) -> list[tuple[str, int, str]]:
    """(state, remote port, inode) of each IPv4 TCP socket on local `port` (Linux)."""
    found = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].rsplit(":", 1)[1], 16)
        if local_port == port:
            found.append((fields[3], int(fields[2].rsplit(":", 1)[1], 16), fields[9]))
    return found


LISTEN, ESTABLISHED = "0A", "01"


def listening_sockets(server: CampServer) -> dict[int, set[str]]:
    """Worker id -> the inodes of the listening sockets it holds on the server's port."""
    listening = {inode for state, _, inode in _tcp_sockets(server.port) if state == LISTEN}
    return {pid: _socket_inodes(pid) & listening for pid in server.workers()}


def worker_of_each(server: CampServer, client_ports: list[int]) -> list[int | None]:
    """Which worker holds the server side of each client connection (by client port)."""
    owner = {inode: pid for pid in server.workers() for inode in _socket_inodes(pid)}
    by_port = {
        remote: inode for state, remote, inode in _tcp_sockets(server.port) if state == ESTABLISHED
    }
    return [owner.get(by_port.get(port, "")) for port in client_ports]
