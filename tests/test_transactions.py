"""Short write transactions: the holder of SQLite's write lock gets the GIL back promptly,
and only while it holds the lock (a short switch interval for good slowed pages)."""

from __future__ import annotations

import sys

import pytest

from camp.extensions import db
from camp.transactions import WRITER_SWITCH_INTERVAL_S, write_transaction


@pytest.fixture
def app_config(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("the write lock and its GIL handoff are SQLite's")
    return {}


@pytest.fixture
def resting_interval():
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.005)
    yield 0.005
    sys.setswitchinterval(before)


def test_the_lock_holder_shortens_the_switch_interval_only_while_it_holds_the_lock(
    app, resting_interval
):
    with app.app_context():
        with write_transaction():
            inside = sys.getswitchinterval()
        after = sys.getswitchinterval()

    assert inside == pytest.approx(WRITER_SWITCH_INTERVAL_S)
    assert after == pytest.approx(resting_interval)


def test_a_failed_write_puts_the_switch_interval_back(app, resting_interval):
    with app.app_context(), pytest.raises(RuntimeError), write_transaction():
        db.session.execute(db.text("SELECT 1"))
        raise RuntimeError("the block failed")

    assert sys.getswitchinterval() == pytest.approx(resting_interval)
