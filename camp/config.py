"""Configuration: defaults, then ``CAMP_*`` environment variables and ``DATABASE_URL``.

Every setting an operator can change is read here and documented in the README.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tzlocal
from flask import Flask
from sqlalchemy.pool import SingletonThreadPool

from camp.db import sqlite_file
from camp.locales import LOCALES, known_locale
from camp.ratelimit_outage import is_shared
from camp.ratelimit_outage import storage_uri as ratelimit_storage_uri
from camp.ratelimit_storage import default_uri as default_ratelimit_uri

ENVIRONMENTS = ("development", "production", "testing")
# Connections per worker: well above `camp up`'s request threads (8) and its writer.
DEFAULT_POOL_SIZE = 64


NEW_KEY = "the output of `python -c 'import secrets; print(secrets.token_hex(32))'`"


class ConfigError(RuntimeError):
    """The environment does not allow the app to start safely."""


def _locale_setting(value: str) -> str:
    locale = known_locale(value)
    if locale is None:
        raise ConfigError(
            f"CAMP_DEFAULT_LOCALE must be one of {', '.join(LOCALES)} (or a tag such as "
            f"zh-CN or en-GB), not {value!r}"
        )
    return locale


def _machine_timezone() -> str:
    try:
        return str(tzlocal.get_localzone_name() or "UTC")
    except Exception:  # an unreadable zone setting: say nothing, show UTC
        return "UTC"


def _timezone_setting(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"CAMP_TIMEZONE must be an IANA time zone such as Asia/Shanghai or UTC, not {value!r}"
        ) from None
    return value


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Accept the URLs hosting platforms hand out and pick the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def default_database_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "camp.sqlite3")


def _development_secret_key(instance_path: str) -> str:
    """Generate a key once and keep it in the instance folder so sessions survive restarts.

    Several processes may start at once (gunicorn's workers each build the app): the key is
    written to a file of its own and linked into place, so the first one in wins and the
    others read the whole of that key, never an empty or a second one."""
    key_file = Path(instance_path) / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    draft = key_file.with_name(f"secret_key.{os.getpid()}.{secrets.token_hex(4)}")
    draft.write_text(secrets.token_hex(32), encoding="utf-8")
    draft.chmod(0o600)
    try:
        os.link(draft, key_file)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return key_file.read_text(encoding="utf-8").strip()


def load(app: Flask, overrides: Mapping[str, Any] | None = None) -> None:
    """Fill ``app.config`` from defaults, the environment and ``overrides``."""
    overrides = dict(overrides or {})
    env = overrides.pop("CAMP_ENV", None) or os.environ.get("CAMP_ENV", "development")
    if overrides.get("TESTING"):
        env = "testing"
    if env not in ENVIRONMENTS:
        raise ConfigError(f"CAMP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    database_url = os.environ.get("DATABASE_URL") or default_database_url(app.instance_path)
    app.config.update(
        CAMP_ENV=env,
        SQLALCHEMY_DATABASE_URI=normalise_database_url(database_url),
        SQLITE_BUSY_TIMEOUT_MS=int(os.environ.get("CAMP_SQLITE_BUSY_TIMEOUT_MS", "10000")),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=_env_flag("CAMP_SECURE_COOKIES", False),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=int(os.environ.get("CAMP_MAX_UPLOAD_BYTES", str(2 * 1024 * 1024))),
        WTF_CSRF_TIME_LIMIT=None,
        # Shared by every worker process of `camp up`; Redis for several machines, waited
        # for at most a second (camp.ratelimit_outage: what happens when it is down).
        RATELIMIT_STORAGE_URI=os.environ.get("CAMP_RATELIMIT_STORAGE_URI")
        or default_ratelimit_uri(app.instance_path),
        RATELIMIT_ENABLED=_env_flag("CAMP_RATELIMIT_ENABLED", True),
        RATELIMIT_HEADERS_ENABLED=True,
        # Failed guesses a minute (camp.accounts.throttles): per account and address, and
        # per address alone (a room behind one public address stays far below it).
        LOGIN_FAILURES_PER_MINUTE=int(os.environ.get("CAMP_LOGIN_FAILURES_PER_MINUTE", "10")),
        LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE=int(
            os.environ.get("CAMP_LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE", "300")
        ),
        JOIN_FAILURES_PER_MINUTE=int(os.environ.get("CAMP_JOIN_FAILURES_PER_MINUTE", "10")),
        JOIN_FAILURES_PER_ADDRESS_PER_MINUTE=int(
            os.environ.get("CAMP_JOIN_FAILURES_PER_ADDRESS_PER_MINUTE", "50")
        ),
        PASSWORD_HASH_METHOD="scrypt",  # noqa: S106 (a method name, not a password)
        PROXY_FIX_HOPS=int(os.environ.get("CAMP_PROXY_FIX_HOPS", "0")),
        CONTENT_DIR=os.environ.get("CAMP_CONTENT_DIR", ""),
        # Words refused in live-session guest nicknames, besides camp.live.nicknames' own.
        LIVE_BLOCKED_WORDS=tuple(
            word.strip()
            for word in os.environ.get("CAMP_LIVE_BLOCKED_WORDS", "").split(",")
            if word.strip()
        ),
        # The interface language when nothing else decides it (camp.i18n), and the zone
        # times are shown in: an IANA name such as Asia/Shanghai, by default the machine's.
        CAMP_DEFAULT_LOCALE=_locale_setting(os.environ.get("CAMP_DEFAULT_LOCALE", "en")),
        CAMP_TIMEZONE=_timezone_setting(os.environ.get("CAMP_TIMEZONE") or _machine_timezone()),
        # The address phones use, as a live session's presenter shows it and its QR code
        # holds ("http://192.168.1.20:8000"); unset, the address the presenter's browser
        # used, with this machine's network address for "localhost" (camp.live.address).
        CAMP_PUBLIC_URL=os.environ.get("CAMP_PUBLIC_URL", "").rstrip("/"),
        # A TrueType font with Chinese characters for certificates (a .ttf or .ttc file);
        # unset, one found on the machine, else ReportLab's STSong-Light (camp.certificates).
        CAMP_CERTIFICATE_FONT=os.environ.get("CAMP_CERTIFICATE_FONT", ""),
    )
    app.config.update(overrides)
    if "MAX_FORM_MEMORY_SIZE" not in overrides:
        # One form field may be as large as the request: the bank import's confirm step
        # posts the signed file back in one field (current Werkzeug applies Flask's 500 kB
        # default to URL-encoded forms too, which refused a 600 kB bank with a 413).
        app.config["MAX_FORM_MEMORY_SIZE"] = app.config["MAX_CONTENT_LENGTH"]
    app.config["RATELIMIT_STORAGE_URI"] = ratelimit_storage_uri(app.config["RATELIMIT_STORAGE_URI"])
    if overrides.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
            overrides["SQLALCHEMY_DATABASE_URI"]
        )

    # A server database may drop idle connections (a restart, a proxy): test each one
    # before use. A SQLite file cannot, and the test query was a twentieth of a request.
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    server_database = not uri.startswith("sqlite")
    engine_options: dict[str, object] = {"pool_pre_ping": server_database}
    pool = int(os.environ.get("CAMP_DB_POOL_SIZE", str(DEFAULT_POOL_SIZE)))
    if server_database:
        # The pool keeps `pool_size` idle connections and closes others when they come
        # back: keep one per request thread of `camp up`, its writer and a margin.
        engine_options.update(pool_size=pool, max_overflow=pool)
    elif sqlite_file(uri) is not None:  # (in memory, Flask-SQLAlchemy keeps one connection)
        # Why: a SQLite file connection is cheap to keep, and SQLAlchemy's queue pool hands
        # connections out under a lock that a loaded worker's request threads queued on
        # (py-spy: a fifth of a worker's time on question pages). Each thread keeps its own
        # connection instead. Camp uses one session per thread (Flask-SQLAlchemy's scoped
        # session) and never two connections at once in a thread, which is what this pool
        # requires; `pool_size` bounds the threads that keep one. Unlike the queue pool,
        # `engine.dispose()` closes connections in use too: remove the session first.
        engine_options.update(poolclass=SingletonThreadPool, pool_size=pool)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options)

    secret = overrides.get("SECRET_KEY") or os.environ.get("CAMP_SECRET_KEY")
    if not secret:
        store = app.config["RATELIMIT_STORAGE_URI"]
        if is_shared(store):
            # Several hosts: each would make its own key, and a student's session would end
            # whenever the load balancer sent them to another host.
            raise ConfigError(
                f"CAMP_SECRET_KEY is not set, but the rate-limit store is shared "
                f"({store.partition(':')[0]}://, CAMP_RATELIMIT_STORAGE_URI): Camp runs on "
                "several hosts, and every host must sign sessions with the same key, or "
                "students are logged out whenever the load balancer sends them to another "
                f"host. Set CAMP_SECRET_KEY to the same long random string on every host, for "
                f"example {NEW_KEY}."
            )
        if env == "production":
            raise ConfigError(
                "CAMP_SECRET_KEY is not set. Outside development and testing Camp refuses to "
                f"start without it: set it to a long random string, for example {NEW_KEY}."
            )
        secret = _development_secret_key(app.instance_path)
    app.config["SECRET_KEY"] = secret
