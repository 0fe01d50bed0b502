"""How a question's text names the files embedded in it: Moodle's `@@PLUGINFILE@@/<name>`.

This module owns the naming rules shared by the sanitiser (camp.formats.markdown, which
points such references at Camp's copy) and the bank's file store (camp.bank.question_files):
what a safe name is, how a reference in a text (percent-encoded, perhaps with a folder, as
in `@@PLUGINFILE@@/sub/my%20chart.png`) becomes a stored name, and a stored name a URL path.
A stored name has no leading slash: Moodle's file path `/sub/` and file name `a.png` are
stored as `sub/a.png`. Names are compared in Unicode NFC.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote, unquote

from flask_babel import gettext as _  # type: ignore[import-untyped]

PLUGINFILE = "@@PLUGINFILE@@/"
MAX_NAME = 255
# Characters that change how text around them reads (right-to-left overrides and
# isolates): a name such as "gnp.exe" shown backwards is a trick, never a file's name.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def stored_name(name: str) -> str:
    """`name` as it is stored and compared: NFC, without leading slashes (it may still be
    unsafe: see `name_problem`)."""
    return unicodedata.normalize("NFC", name).lstrip("/")


def name_problem(name: str) -> str | None:
    """Why a stored name cannot name a file, in words for an import's problems (None: it
    can). A name is a path of folders and a file, joined by '/'."""
    if not name:
        return _("A file has no name.")
    if len(name) > MAX_NAME:
        return _("File names are limited to %(n)s characters.", n=MAX_NAME)
    if any(unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS for char in name):
        return _("The file name %(name)s holds a control character.", name=ascii(name))
    if "\\" in name:
        return _("The file name %(name)s holds a backslash: use / between folders.", name=name)
    if any(part in ("", ".", "..") for part in name.split("/")):
        return _(
            "The file name %(name)s has an empty, '.' or '..' folder: name files inside "
            "the question only.",
            name=name,
        )
    return None


def referenced_name(reference: str) -> str | None:
    """The stored name a text's `@@PLUGINFILE@@/<reference>` means (None: no safe name).
    A query or fragment after the name is not part of it."""
    for mark in ("?", "#"):
        reference = reference.split(mark, 1)[0]
    name = stored_name(unquote(reference))
    return None if name_problem(name) else name


def url_path(name: str) -> str:
    """A stored name as the end of a URL path, each folder kept and everything else encoded."""
    return quote(name, safe="/")
