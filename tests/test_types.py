"""The type checker holds Camp to its interfaces: camp/ passes mypy as pyproject.toml sets it
up, and mypy refuses the mix-ups that the interfaces exist to prevent (a row read for a hot
page where a service needs the ORM object; see camp.accounts.identity and
camp.quizzes.interfaces)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None,
    reason="mypy is not installed (it comes with the test extras: pip install -e '.[test]')",
)

# Each line marked "# error" must be refused, and nothing else.
MIXUPS = """\
from datetime import datetime

from camp.accounts import services as accounts
from camp.accounts.current import current_account, current_user
from camp.accounts.session_user import RowUser
from camp.quizzes import attempts
from camp.quizzes import services as quizzes
from camp.quizzes.attempt_rows import AttemptRow
from camp.quizzes.models import Attempt, Quiz


def refused(row_user: RowUser, row: AttemptRow, now: datetime) -> None:
    accounts.end_sessions(row_user)  # error
    accounts.end_sessions(current_user)  # error
    attempts.submit_attempt(row, now)  # error


def accepted(row_user: RowUser, row: AttemptRow, attempt: Attempt, quiz: Quiz) -> None:
    now = datetime.now()
    accounts.end_sessions(current_account())
    quizzes.start_attempt(row_user, quiz, now)
    quizzes.start_attempt(current_user, quiz, now)
    quizzes.close_if_overdue(row, now)
    quizzes.close_if_overdue(attempt, now)
    attempts.submit_attempt(attempt, now)
"""


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for this module's runs: the second one reuses the first's analysis."""
    return tmp_path_factory.mktemp("mypy-cache")


def _mypy(cache: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mypy", "--cache-dir", str(cache), *paths]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_package_passes_the_type_checker(mypy_cache):
    result = _mypy(mypy_cache)  # the files and settings of [tool.mypy]
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_type_checker_refuses_a_row_where_the_orm_object_is_needed(mypy_cache, tmp_path):
    snippet = tmp_path / "mixups.py"
    snippet.write_text(MIXUPS, encoding="utf-8")
    result = _mypy(mypy_cache, str(snippet))
    output = result.stdout + result.stderr
    expected = {n for n, line in enumerate(MIXUPS.splitlines(), 1) if line.endswith("# error")}
    refused = {int(n) for n in re.findall(r"mixups\.py:(\d+): error:", output)}
    assert refused == expected, output
    assert 'incompatible type "RowUser"; expected "User"' in output
    assert 'incompatible type "CampUser"; expected "User"' in output
    assert 'incompatible type "AttemptRow"; expected "Attempt"' in output
