"""What the gain report's codes say in words (camp.reports.gain's `Reason` and `Undefined`),
the same on the page, in the CSV and on the command line. Lazy: translated when shown."""

from __future__ import annotations

from flask_babel import LazyString  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l

from camp.reports.gain import Reason, Undefined

# Why a student has no gain on a row.
REASONS: dict[Reason, LazyString] = {
    "neither": _l("took neither test"),
    "no_pre": _l("no pre-test"),
    "no_post": _l("no post-test"),
    "pending": _l("awaiting grading"),
    "ceiling": _l("pre-test at %(top)s%%: no room to gain, gain undefined", top=100),
}

# Why a row (the whole test or an objective) has no gain.
UNDEFINED: dict[Undefined, LazyString] = {
    "no_students": _l("no student has both scores"),
    "ceiling": _l("everyone started at %(top)s%%: gain undefined", top=100),
}
