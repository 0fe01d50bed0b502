"""What the Moodle XML reader gives and the writer takes: `MoodleQuestion`, category records,
embedded files, the problems found (each at a line), and the text formats' names in Moodle
and in Camp. Shared by the `moodle_xml*` modules, so that none imports another for its data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Moodle's names of text formats (question/format/xml/format.php) -> Camp's. "wiki_like" is
# deprecated in Moodle, which shows it as plain text; any other name is read as HTML there
# and here.
CAMP_FORMAT = {
    "moodle_auto_format": "moodle",
    "html": "html",
    "plain_text": "plain",
    "markdown": "markdown",
    "wiki_like": "plain",
}
MOODLE_FORMAT = {"moodle": "moodle_auto_format", "html": "html", "plain": "plain_text"}
MOODLE_FORMAT["markdown"] = "markdown"


@dataclass(frozen=True)
class EmbeddedFile:
    """A file embedded in a question's text, feedback or answers (`<file name=...>`), decoded;
    the texts refer to it as `@@PLUGINFILE@@/name`. `line` is its `<file>` element's."""

    name: str
    data: bytes
    line: int


@dataclass(frozen=True)
class MoodleXmlIssue:
    """One problem in a Moodle XML file, at a 1-based line."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class MoodleXmlError(Exception):
    """Every problem found in a Moodle XML file; `.errors` lists them in file order."""

    def __init__(self, errors: list[MoodleXmlIssue]) -> None:
        self.errors = sorted(errors, key=lambda issue: issue.line)
        super().__init__("\n".join(str(issue) for issue in self.errors))


class MoodleWriteError(ValueError):
    """A question (or category) Moodle XML cannot hold; the message names it."""


@dataclass
class MoodleCategory:
    """A `<question type="category">` record: `path` is Camp's ("A/B", or "" for the
    context's top category, where questions go to the import's own category)."""

    line: int
    path: str
    info: str = ""
    info_format: str = "moodle"
    idnumber: str | None = None


@dataclass
class MoodleQuestion:
    """One question, in Camp's terms: `type` and `spec` are the registry's, `text_format`
    Camp's, `id` the `<idnumber>` (Camp's stable id), `extras` as camp.bank.extras has them.
    `moodle_type` is the type Moodle names in the file; `files` the embedded files."""

    line: int
    type: str
    text: str
    text_format: str = "html"
    title: str = ""
    id: str | None = None
    tags: list[str] = field(default_factory=list)
    category: str | None = None
    spec: dict = field(default_factory=dict)
    general_feedback: str = ""
    extras: dict = field(default_factory=dict)
    files: tuple[EmbeddedFile, ...] = ()
    moodle_type: str = ""


@dataclass(frozen=True)
class SkippedQuestion:
    """A question of a type Camp cannot read, left out (`--skip-unknown`)."""

    line: int
    moodle_type: str
    name: str


@dataclass
class MoodleXmlFile:
    """A file's questions and category records in file order, and what was skipped."""

    questions: list[MoodleQuestion] = field(default_factory=list)
    categories: list[MoodleCategory] = field(default_factory=list)
    skipped: list[SkippedQuestion] = field(default_factory=list)


# Moodle's own settings per Moodle type, with what Camp's writer writes when a question has
# none: the reader keeps (in extras["moodle"]) only settings that differ from these, so that
# a question exported and read back has the extras it had.
SETTING_DEFAULTS: dict[str, dict[str, str]] = {
    "multichoice": {
        "shuffleanswers": "true",
        "answernumbering": "abc",
        "showstandardinstruction": "0",
    },
    "matching": {"shuffleanswers": "true"},
    "numerical": {
        "unitgradingtype": "0",
        "unitpenalty": "0.1000000",
        "showunits": "3",
        "unitsleft": "0",
    },
    "essay": {
        "responseformat": "editor",
        "responserequired": "1",
        "attachments": "0",
        "attachmentsrequired": "0",
    },
    "ordering": {"layouttype": "VERTICAL", "showgrading": "SHOW", "numberingstyle": "none"},
}
# Formatted settings: kept as written, with their format (Moodle's name) beside them under
# "<name>_format" and their files among the question's.
FORMATTED_SETTINGS = {"numerical": ("instructions",), "essay": ("graderinfo", "responsetemplate")}
# Plain settings Moodle writes for a type when set, with no default of Camp's.
OPTIONAL_SETTINGS = {"essay": ("maxbytes", "filetypeslist", "minwordlimit", "maxwordlimit")}
