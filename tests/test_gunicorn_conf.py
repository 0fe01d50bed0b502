"""gunicorn as camp/gunicorn_conf.py runs it: on a port something else holds, it stops at
once and says so (its workers bind the port themselves, and without the check they were
started again and again, each failing)."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("gunicorn") is None, reason="gunicorn (pip install -e '.[test]')"
)


def test_gunicorn_refuses_a_port_in_use_and_says_so(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {
            **os.environ,
            "CAMP_SECRET_KEY": "k" * 40,
            "DATABASE_URL": f"sqlite:///{tmp_path}/camp.sqlite3",
            "CAMP_INSTANCE_PATH": str(tmp_path / "instance"),
        }
        command = [
            sys.executable, "-m", "gunicorn", "-c", "python:camp.gunicorn_conf",
            "-b", f"127.0.0.1:{port}", "-w", "2", "camp:create_app()",
        ]  # fmt: skip
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )

    assert done.returncode != 0
    assert f"127.0.0.1:{port} is in use" in done.stderr
