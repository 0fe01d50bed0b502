"""What `/certificates/<identifier>` says of an identifier: valid, revoked, or not a
certificate of this Camp (forged, mistyped, or signed with another secret key).

A forged identifier is told apart by its signature, with no database query; a signed one
that matches no row is reported like a forged one (it cannot be real either)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select

from camp.certificates.ids import verify_certificate_id
from camp.certificates.models import Certificate
from camp.extensions import db

Status = Literal["valid", "revoked", "not_found"]


@dataclass(frozen=True)
class Verification:
    status: Status
    certificate: Certificate | None = None


def verify(identifier: str, secret: str) -> Verification:
    key = verify_certificate_id(identifier, secret)
    if key is None:
        return Verification("not_found")
    certificate = db.session.scalar(select(Certificate).where(Certificate.public_id == key))
    if certificate is None:
        return Verification("not_found")
    return Verification("valid" if certificate.valid else "revoked", certificate)
