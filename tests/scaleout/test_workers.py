"""A host's workers each listen on a socket of their own on the host's port, so the kernel
spreads a room's connections over them (gunicorn's `reuse_port`, camp/gunicorn_conf.py).

With one socket shared by the workers, whichever woke first took each new connection: a
room logging in at once left one worker with far more students than another, and those
students waited longest. Read from /proc, as an operator would check it with `ss -ltnp`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.scaleout, pytest.mark.slow]
LISTEN = "0A"  # the TCP state in /proc/net/tcp


def listening_inodes(port: int) -> set[str]:
    """The inodes of the sockets listening on 127.0.0.1:`port`."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state, inode = fields[1], fields[3], fields[9]
        if state == LISTEN and int(local.split(":")[1], 16) == port:
            found.add(inode)
    return found


def socket_inodes(pid: int) -> set[str]:
    """The inodes of the sockets process `pid` holds open."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:  # closed meanwhile
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def workers_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def test_each_worker_of_a_host_listens_on_a_socket_of_its_own(deployment):
    host = deployment.a
    assert host.process is not None
    workers = workers_of(host.process.pid)
    assert len(workers) == host.workers

    listening = listening_inodes(host.port)
    per_worker = [socket_inodes(pid) & listening for pid in workers]

    assert all(len(own) == 1 for own in per_worker), per_worker
    assert len(set.union(*per_worker)) == host.workers  # none shared
    assert not socket_inodes(host.process.pid) & listening  # the master takes none
