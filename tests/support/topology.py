"""Several Camp hosts on this one machine, as a load balancer sees them: gunicorn instances
on ports of their own, each a separate process group with its own instance folder (as
separate machines have), sharing one database and one Redis (Debian's redis-server, run
here in a temporary folder and never saved to disk).

Used by tests/scaleout and benchmarks/load.py; standard library only. The hosts run this
checkout's Camp (PYTHONPATH and the working folder are the checkout), whatever `camp` is
installed.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CAMP = [sys.executable, "-c", "from camp.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_server_path() -> str | None:
    """Debian's redis-server (CAMP_REDIS_SERVER names another)."""
    configured = os.environ.get("CAMP_REDIS_SERVER")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )


@dataclass
class RedisServer:
    """A redis-server on a free port of 127.0.0.1, keeping nothing on disk."""

    directory: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10) -> None:
        path = redis_server_path()
        if path is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / "redis.log", "ab") as log:
            self.process = subprocess.Popen(
                [path, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(self.directory), "--daemonize", "no"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                log_text = (self.directory / "redis.log").read_text(errors="replace")
                raise RuntimeError(f"redis-server did not start:\n{log_text[-2000:]}")
            time.sleep(0.05)

    def answers(self) -> bool:
        """Whether it answers a PING now."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.running:
            assert self.process is not None
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


def _control_socket(directory: Path, name: str) -> list[str]:
    """gunicorn 25+ opens a control socket at one path per user: one each, here."""
    from gunicorn.config import Config

    if "control_socket" not in Config().settings:
        return []
    return ["--control-socket", str(directory / f"{name}.ctl")]


@dataclass
class Host:
    """One host: `gunicorn -c python:camp.gunicorn_conf` on its own port."""

    name: str
    env: dict[str, str] = field(repr=False)
    directory: Path  # its instance folder and control socket live here
    port: int = field(default_factory=free_port)
    workers: int = 2
    threads: int = 4
    app: str = "camp:create_app()"
    ready_path: str = "/healthz"
    chdir: Path = ROOT
    process: subprocess.Popen[str] | None = None
    stderr: list[str] = field(default_factory=list, repr=False)  # gunicorn's and Camp's log

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def launch(self) -> None:
        """Start it; `wait_ready` waits until it answers."""
        self.directory.mkdir(parents=True, exist_ok=True)
        env = {
            **self.env,
            "CAMP_INSTANCE_PATH": str(self.directory / "instance"),
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(self.chdir)]),
            "PYTHONUNBUFFERED": "1",
        }
        command = [
            sys.executable, "-m", "gunicorn", "-c", "python:camp.gunicorn_conf",
            "-b", f"127.0.0.1:{self.port}", "-w", str(self.workers),
            "--threads", str(self.threads), "--chdir", str(self.chdir),
            *_control_socket(self.directory, self.name), self.app,
        ]  # fmt: skip
        self.stderr.clear()
        # A session of its own: killing the host kills its master and workers together.
        self.process = subprocess.Popen(
            command,
            env=env,
            cwd=self.chdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self._drain = threading.Thread(target=self._read, args=(self.process,), daemon=True)
        self._drain.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stderr is not None
        for line in process.stderr:
            self.stderr.append(line)

    def wait_ready(self, timeout: float = 60) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"host {self.name} exited:\n" + self.log())
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                try:
                    conn.request("GET", self.ready_path)
                    if conn.getresponse().status == 200:
                        return
                finally:
                    conn.close()
            time.sleep(0.1)
        raise TimeoutError(f"host {self.name} did not answer:\n" + self.log())

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        """What it wrote to stderr so far."""
        return "".join(self.stderr)

    def kill(self) -> None:
        """SIGKILL to the master and every worker: the machine is gone."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM)

    def _signal(self, sig: signal.Signals) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self._drain.join(timeout=10)
        if self.process.stderr is not None:
            self.process.stderr.close()


def start_all(hosts: Sequence[Host], timeout: float = 60) -> None:
    """Start the hosts side by side and wait for each; stop them all if one fails."""
    for host in hosts:
        host.launch()
    try:
        for host in hosts:
            host.wait_ready(timeout)
    except BaseException:
        for host in hosts:
            host.stop()
        raise


def run_camp(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    """Run `camp ARGS` (this checkout's) with `env`; its output, or an error with it."""
    result = subprocess.run(
        [*CAMP, *args],
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"camp {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout
