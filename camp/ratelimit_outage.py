"""What the login limiter does when its store cannot be reached (Redis down): logins go on.

The limits on guessing (camp.accounts.throttles) count failures in the limiter's store,
Redis when Camp runs on several hosts. Refusing every login while Redis is down would turn
a Redis outage into a Camp outage, so the limiter fails open to each process's memory
(Flask-Limiter's in-memory fallback, set up in camp.extensions): logins work, and failed
logins are still counted, per process instead of across hosts, until the store answers
again. Flask-Limiter asks it again after 1, 2, 4, ... up to 32 seconds, at the next
limited request. An error while counting is logged, never raised, and Redis is waited for
at most a second (`storage_uri`), so that a store that hangs does not hang logins.

Flask-Limiter's own log lines do not say which store, and nothing shows them by default;
this module turns them into lines of Camp's log (stderr, also under gunicorn), once per
process and outage: a WARNING naming the store when it stops answering, and an INFO when
it answers again (and a WARNING for an error it swallowed otherwise). `store_answers` is
what /healthz reports of it.
"""

from __future__ import annotations

import logging
import os
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Flask, current_app, has_app_context
from flask_limiter import Limiter

log = logging.getLogger("camp.ratelimit")
# The longest Camp waits for Redis to connect or answer, unless the URI says otherwise (a
# host gone, packets dropped).
REDIS_TIMEOUT_SECONDS = "1"
_REDIS_SCHEMES = ("redis", "rediss", "redis+unix", "valkey", "valkeys", "valkey+unix")


def storage_uri(uri: str) -> str:
    """`uri` with Camp's timeouts added when it is a Redis URI that sets none."""
    parts = urlsplit(uri)
    if parts.scheme not in _REDIS_SCHEMES:
        return uri
    query = dict(parse_qsl(parts.query))
    for option in ("socket_timeout", "socket_connect_timeout"):
        query.setdefault(option, REDIS_TIMEOUT_SECONDS)
    return urlunsplit(parts._replace(query=urlencode(query)))


def is_shared(uri: str) -> bool:
    """Whether the store is one that several hosts share (not memory nor a local file)."""
    return not uri.startswith(("memory://", "camp+sqlite://"))


def shown_store(uri: str) -> str:
    """The store's URI without its password or options, for a log line."""
    parts = urlsplit(uri)
    host = parts.netloc.rpartition("@")[2]
    user = parts.netloc.rpartition("@")[0].partition(":")[0]
    netloc = f"{user}:***@{host}" if "@" in parts.netloc else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class _Outages(logging.Handler):
    """Flask-Limiter's log records, turned into Camp's two lines about the store."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.store = ""
        self.down = False

    def emit(self, record: logging.LogRecord) -> None:
        if has_app_context():
            # Flask gives Camp's logger ("camp", the parent of this one) a handler to stderr
            # unless logging is set up already (as `camp up`'s migrations set it up): asked
            # now, not when the app is built, so that the line is written once.
            _ = current_app.logger
        if record.levelno == logging.WARNING and not self.down:
            # "Rate limit storage unreachable - falling back to in-memory storage"
            self.down = True
            log.warning(
                "The rate-limit store %s cannot be reached. Logins still work; until it is "
                "back, process %d counts failed logins in its own memory, so the limits hold "
                "per process rather than across hosts.",
                self.store,
                os.getpid(),
            )
        elif record.levelno > logging.WARNING:  # an error it swallowed (the request went on)
            cause = record.exc_info[1] if record.exc_info else None
            log.warning(
                "The rate-limit store %s failed (%s); the request went on.",
                self.store,
                cause or record.getMessage(),
            )
        elif record.levelno == logging.INFO and self.down and "recovered" in record.getMessage():
            self.down = False
            log.info(
                "The rate-limit store %s answers again: process %d counts failed logins there.",
                self.store,
                os.getpid(),
            )


_outages = _Outages()


def register_outage_log(app: Flask, limiter: Limiter) -> None:
    """Say in Camp's log when the limiter's store stops answering, and when it is back."""
    _outages.store = shown_store(app.config["RATELIMIT_STORAGE_URI"])
    # The app's store is new: nothing is known to be down (the limiter is one per process,
    # and another app of it, in the tests, may have found its own store dead).
    _outages.down = limiter._storage_dead = False
    if _outages not in limiter.logger.handlers:
        limiter.logger.addHandler(_outages)
    if limiter.logger.level == logging.NOTSET:  # its "recovered" line is at INFO
        limiter.logger.setLevel(logging.INFO)
    log.setLevel(logging.INFO)


def store_answers(limiter: Limiter) -> bool:
    """Whether the limiter's store answers now (a PING for Redis)."""
    try:
        return bool(limiter.storage.check())
    except Exception:  # a store that fails its own check does not answer
        return False
