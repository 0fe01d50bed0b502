"""Certificate identifiers: 128 random bits and a 72-bit signature, read aloud with ease.

An identifier is 25 bytes, written as 40 lowercase base32 letters and digits (a-z, 2-7) in
eight groups of five: `k7q2m-...`. The first 16 bytes are random (`secrets`): that part,
as 32 hex digits, is the certificate's lookup key, what the database stores and looks
up. The last 9 bytes are HMAC-SHA256 of the random part, truncated, under a key derived
from the application's secret for this purpose only, so that a forged or mistyped
identifier is refused without a database query, and no other signature Camp makes can
be replayed as a certificate identifier.

40 base32 characters hold exactly 200 bits: no padding, and no spare bits that would let
two spellings decode to the same bytes. Reading one back forgives what people do when
they copy or type it: any case, hyphens, spaces, and the digits 0 and 1 for the letters o
and l (base32 has no 0 or 1).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

RANDOM_BYTES = 16  # 128 bits: nothing to guess, nothing to enumerate
SIGNATURE_BYTES = 9  # 72 bits of HMAC-SHA256
GROUP = 5
LENGTH = (RANDOM_BYTES + SIGNATURE_BYTES) * 8 // 5  # 40 characters, without the hyphens
_PURPOSE = b"camp.certificates.ids/v1"
_IGNORED = str.maketrans("", "", "- \t\r\n")
_MAX_INPUT = 2 * LENGTH  # longer input is refused before any work


def new_certificate_id(secret: str | bytes) -> str:
    """A fresh identifier, signed with `secret` (the application's SECRET_KEY)."""
    return certificate_id_for(secrets.token_hex(RANDOM_BYTES), secret)


def certificate_id_for(lookup_key: str, secret: str | bytes) -> str:
    """The identifier of the certificate whose lookup key (32 hex digits, as
    `verify_certificate_id` returns and the database stores) is `lookup_key`."""
    random_part = _lookup_key_bytes(lookup_key)
    return _spelled(random_part + _signature(random_part, secret))


def verify_certificate_id(text: str, secret: str | bytes) -> str | None:
    """The lookup key (32 lowercase hex digits) of the identifier `text` when its
    signature under `secret` is right, else None: a forged, mistyped or truncated
    identifier, or one signed with another secret."""
    raw = _decode(text)
    if raw is None:
        return None
    random_part, signature = raw[:RANDOM_BYTES], raw[RANDOM_BYTES:]
    if not hmac.compare_digest(signature, _signature(random_part, secret)):
        return None
    return random_part.hex()


def normalise_certificate_id(text: str) -> str | None:
    """The canonical spelling (lowercase, grouped) of a well-formed identifier, signed
    or not; None when it cannot be one. For redirects to the canonical address."""
    raw = _decode(text)
    return None if raw is None else _spelled(raw)


def _spelled(raw: bytes) -> str:
    text = base64.b32encode(raw).decode("ascii").lower()
    return "-".join(text[i : i + GROUP] for i in range(0, len(text), GROUP))


def _decode(text: str) -> bytes | None:
    if len(text) > _MAX_INPUT:
        return None
    compact = text.translate(_IGNORED)
    if len(compact) != LENGTH or not compact.isascii():
        return None
    try:
        return base64.b32decode(compact, casefold=True, map01="L")
    except (binascii.Error, ValueError):
        return None


def _signature(random_part: bytes, secret: str | bytes) -> bytes:
    return hmac.new(_purpose_key(secret), random_part, hashlib.sha256).digest()[:SIGNATURE_BYTES]


def _purpose_key(secret: str | bytes) -> bytes:
    """A key for certificate identifiers only, derived from the application's secret."""
    key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    if not key:
        raise ValueError("certificate identifiers need a secret key")
    return hmac.new(key, _PURPOSE, hashlib.sha256).digest()


def _lookup_key_bytes(lookup_key: str) -> bytes:
    try:
        raw = bytes.fromhex(lookup_key)
    except ValueError:
        raw = b""
    if len(raw) != RANDOM_BYTES:
        raise ValueError(f"a lookup key is {2 * RANDOM_BYTES} hex digits")
    return raw
