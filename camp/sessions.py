"""Flask's signed-cookie sessions, with the signing serializer built once per secret key,
and each cookie checked and decoded once.

Why: Flask builds a new serializer for every request, and itsdangerous derives the signing
key again (an HMAC) for every signature it checks or makes. Together that was ~4% of a
question page. Checking and decoding the same cookie again on every request of a session
was another ~8%. The cookie format, the keys (``SECRET_KEY`` and ``SECRET_KEY_FALLBACKS``)
and the checks are Flask's own; only their results are remembered:

- a changed key or fallback list gives a new serializer, and cookies checked under the old
  one are checked again;
- a remembered cookie still expires after ``PERMANENT_SESSION_LIFETIME``, counted from
  when it was signed, as Flask counts it;
- only a cookie whose values are all plain (strings, numbers, booleans) is remembered,
  because each request gets its own copy of the session, and a copy of plain values
  cannot be changed through another request's.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

from camp import caches

_derived_keys: dict[tuple[Any, ...], bytes] = {}


class _KeyMemoSigner(TimestampSigner):
    """A timestamp signer that derives each signing key once per process."""

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        secret = self.secret_keys[-1] if secret_key is None else secret_key
        memo = (secret, self.salt, self.key_derivation, self.digest_method)
        derived = _derived_keys.get(memo)
        if derived is None:
            derived = _derived_keys[memo] = super().derive_key(secret_key)
        return derived


# Checked cookies remembered per process; the memo is emptied when it reaches this.
OPENED_MAX = 20_000
_PLAIN = (str, int, float, bool, type(None))


class CampSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializers: dict[tuple[Any, ...], URLSafeTimedSerializer] = {}
        # cookie -> (the serializer that checked it, its values, when it was signed)
        self._opened: dict[str, tuple[URLSafeTimedSerializer, dict[str, Any], int]] = {}

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        known = self._opened.get(cookie)
        if known is not None and known[0] is serializer:
            _, values, signed_at = known
            if 0 <= int(time.time()) - signed_at <= max_age:  # itsdangerous's own rule
                return self.session_class(values)
        try:
            values, signed = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if isinstance(values, dict) and all(isinstance(v, _PLAIN) for v in values.values()):
            if len(self._opened) >= OPENED_MAX:
                self._opened.clear()
            self._opened[cookie] = (serializer, values, int(signed.timestamp()))
        return self.session_class(values)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        fallbacks = tuple(app.config["SECRET_KEY_FALLBACKS"] or ())
        cache_key = (app.secret_key, fallbacks)
        serializer = self._serializers.get(cache_key)
        if serializer is None:
            serializer = URLSafeTimedSerializer(
                [*fallbacks, app.secret_key],  # itsdangerous signs with the last key
                salt=self.salt,
                serializer=self.serializer,
                signer=_KeyMemoSigner,
                signer_kwargs={
                    "key_derivation": self.key_derivation,
                    "digest_method": self.digest_method,
                },
            )
            self._serializers = {cache_key: serializer}  # only the current keys are kept
        return serializer


caches.register_mapping("session signing keys", _derived_keys)
