"""Flask's signed-cookie sessions, with the signing serializer built once per secret key.

Why: Flask builds a new serializer for every request, and itsdangerous derives the signing
key again (an HMAC) for every signature it checks or makes. Together that was ~4% of a
question page. The cookie format, the keys (``SECRET_KEY`` and ``SECRET_KEY_FALLBACKS``)
and the checks are Flask's own; only the construction is remembered. A changed key or
fallback list gives a new serializer.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

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


class CampSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializers: dict[tuple[Any, ...], URLSafeTimedSerializer] = {}

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
