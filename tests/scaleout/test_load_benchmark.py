"""benchmarks/load.py, small, over two gunicorn hosts on PostgreSQL with Redis: it runs
without an error, every submitted attempt has all its answers, and its JSON says what it
measured on."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import fresh_database_url
from tests.support.topology import ROOT

pytestmark = [pytest.mark.scaleout, pytest.mark.slow]


def test_load_benchmark_over_two_hosts(database_url, tmp_path):
    url = fresh_database_url(database_url, tmp_path, "load")
    run = ["--students", "4", "--seconds", "0.5", "--hosts", "2", "--database", url]
    result = subprocess.run(
        [sys.executable, "benchmarks/load.py", *run],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert measured["database"] == "postgresql" and measured["hosts"] == 2
    assert measured["server"] == "gunicorn"
    assert measured["errors"] == 0, result.stdout
    assert measured["page_rps"] > 0 and measured["save_rps"] > 0
