"""GIFT and Moodle XML files through the bank screens: the upload kept between preview and
confirm, import summaries and export file names.

The preview page holds the uploaded text in a hidden field, signed (HMAC, itsdangerous) with
the app's secret key and timestamped: the confirm step re-parses exactly what was previewed,
and a payload changed in the browser, or older than `UPLOAD_MAX_AGE`, is refused.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import ngettext  # type: ignore[import-untyped]
from itsdangerous import BadData, URLSafeTimedSerializer

from camp.bank.importing import PlannedQuestion
from camp.bank.moodle_io import FORMATS, MOODLE_XML

UPLOAD_SALT = "camp.authoring.bank-import"
UPLOAD_MAX_AGE = 2 * 60 * 60  # seconds between preview and confirm
ACTIONS = ("create", "update", "unchanged", "restore")


class UploadRefused(Exception):
    """The confirm payload was changed, is too old, or is not ours."""


@dataclass(frozen=True)
class Upload:
    text: str
    category: str
    filename: str
    format: str = "gift"  # as the preview read it: "gift" or "moodle-xml"
    skip_unknown: bool = False


def _serializer(secret_key: str | bytes) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=UPLOAD_SALT)


def sign_upload(upload: Upload, secret_key: str | bytes) -> str:
    return _serializer(secret_key).dumps(
        {
            "text": upload.text,
            "category": upload.category,
            "filename": upload.filename,
            "format": upload.format,
            "skip_unknown": upload.skip_unknown,
        }
    )


def read_signed_upload(payload: str, secret_key: str | bytes) -> Upload:
    try:
        data = _serializer(secret_key).loads(payload, max_age=UPLOAD_MAX_AGE)
    except BadData as error:
        raise UploadRefused(str(error)) from None
    if not isinstance(data, dict) or not all(
        isinstance(data.get(key), str) for key in ("text", "category", "filename", "format")
    ):
        raise UploadRefused("malformed payload")
    if data["format"] not in FORMATS or not isinstance(data.get("skip_unknown"), bool):
        raise UploadRefused("malformed payload")
    return Upload(
        text=data["text"],
        category=data["category"],
        filename=data["filename"],
        format=data["format"],
        skip_unknown=data["skip_unknown"],
    )


def action_counts(plan: Iterable[PlannedQuestion]) -> dict[str, int]:
    counts: Counter[str] = Counter(planned.action for planned in plan)
    return {action: counts[action] for action in ACTIONS}


def import_summary(plan: list[PlannedQuestion]) -> str:
    counts = action_counts(plan)
    return ngettext(
        "Imported %(num)d question: %(create)s created, %(update)s updated, %(unchanged)s "
        "unchanged, %(restore)s restored.",
        "Imported %(num)d questions: %(create)s created, %(update)s updated, %(unchanged)s "
        "unchanged, %(restore)s restored.",
        len(plan),
        **counts,
    )


def export_filename(category: str | None, fmt: str = "gift") -> str:
    """An ASCII file name from a category path: "IP basics/Logos" -> "ip-basics-logos.gift"
    (".xml" for Moodle XML)."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", category or "").strip("-").lower()[:80]
    return f"{stem or 'question-bank'}.{'xml' if fmt == MOODLE_XML else 'gift'}"
