"""benchmarks/live.py, small: a real server, five phones, two questions, drops and
reconnects. It asserts what the benchmark promises whatever the machine (nothing lost,
nothing counted twice, no errors, the JSON fields the README and the issue name), never a
timing. SQLite only: the PostgreSQL run of the suite shares one test database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIELDS = {
    "phones",
    "questions",
    "answers",
    "lost_answers",
    "duplicate_answers",
    "errors",
    "ack_p99_ms",
    "reveal_p99_ms",
    "reconnects",
    "hello_rps",
}


@pytest.mark.skipif(
    bool(os.environ.get("CAMP_TEST_DATABASE_URL")), reason="runs on SQLite only (see docstring)"
)
def test_a_small_live_session_loses_nothing_and_reports_every_field():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(
        [
            sys.executable,
            "benchmarks/live.py",
            "--phones",
            "5",
            "--questions",
            "2",
            "--think-s",
            "1",
            "--seconds",
            "1",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result.keys() >= FIELDS
    assert (result["phones"], result["questions"], result["answers"]) == (5, 2, 10)
    assert (result["lost_answers"], result["duplicate_answers"], result["errors"]) == (0, 0, 0)
