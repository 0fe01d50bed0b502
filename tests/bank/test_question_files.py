"""Files embedded in question texts: what `check_files` refuses (by content, size and name,
with lines), what `attach_files` stores (once per content) and what `files_of` and
`facts_of` read back, on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlite3
from contextlib import closing, contextmanager

import pytest
from sqlalchemy import event, func, select

from camp.backup import backup_sqlite, sqlite_path
from camp.bank import services as bank
from camp.bank.file_models import QuestionFile, StoredFile
from camp.bank.models import ImmutableVersionError
from camp.bank.question_files import (
    MAX_FILE_BYTES,
    MAX_FILES,
    IncomingFile,
    QuestionFileError,
    attach_files,
    check_files,
    facts_of,
    files_of,
)
from camp.bank.services import QuestionDraft
from camp.extensions import db
from tests.bank.images import GIF, JPEG, SVG, WEBP, png
from tests.conftest import is_postgres


def _draft(text: str = 'Which? <img src="@@PLUGINFILE@@/chart.png">') -> QuestionDraft:
    return QuestionDraft(type="true_false", text=text, text_format="html", spec={"answer": True})


def _version(make, text: str | None = None):
    question = make.question(_draft(text) if text else _draft())
    return bank.current_version(question)


@contextmanager
def selects():
    seen: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


# -- check_files ---------------------------------------------------------------------------


def test_the_four_image_types_are_accepted_whatever_their_names():
    files = [
        IncomingFile("/a.png", png(), 3),
        IncomingFile("/b.jpg", JPEG, 4),
        IncomingFile("/sub/c.gif", GIF, 5),
        IncomingFile("d.webp", WEBP, 6),
        IncomingFile("/no-extension", png(shade=1), 7),
    ]
    assert check_files(files) == []


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"Just some text, honest.", "not a PNG, JPEG, GIF or WebP image"),
        (b"<html><script>alert(1)</script></html>", "not a PNG, JPEG, GIF or WebP image"),
        (b"", "not a PNG, JPEG, GIF or WebP image"),
        (b"\x89PNX\r\n\x1a\n" + png()[8:], "not a PNG, JPEG, GIF or WebP image"),
        (SVG, "SVG"),
        (b"\xef\xbb\xbf  <svg xmlns='http://www.w3.org/2000/svg'/>", "SVG"),
    ],
)
def test_a_file_that_is_not_an_accepted_image_is_refused_by_content(data, words):
    problems = check_files([IncomingFile("/a.png", png(), 10), IncomingFile("/b.png", data, 12)])
    assert len(problems) == 1
    line, message = problems[0]
    assert line == 12
    assert words in message
    assert "b.png" in message


def test_an_svg_is_refused_with_a_way_out():
    ((line, message),) = check_files([IncomingFile("/logo.svg", SVG, 40)])
    assert line == 40
    assert "SVG" in message and "PNG" in message


def test_a_file_over_the_limit_is_refused():
    big = png() + b"\x00" * (MAX_FILE_BYTES - len(png()) + 1)
    just = png() + b"\x00" * (MAX_FILE_BYTES - len(png()))
    assert check_files([IncomingFile("/just.png", just, 1)]) == []
    ((line, message),) = check_files([IncomingFile("/big.png", big, 8)])
    assert line == 8
    assert "big.png" in message and "1.0 MB" in message


def test_a_questions_files_together_have_a_limit():
    almost = png() + b"\x00" * (MAX_FILE_BYTES - 100)
    files = [IncomingFile(f"/{n}.png", almost + bytes([n]), 10 + n) for n in range(6)]
    ((line, message),) = check_files(files)
    assert line == 15  # the sixth file goes past 5 MB
    assert "5.0 MB" in message


def test_a_question_has_at_most_so_many_files():
    files = [IncomingFile(f"/{n}.png", png(), n) for n in range(1, MAX_FILES + 2)]
    assert check_files(files) == [
        (MAX_FILES + 1, f"A question may have at most {MAX_FILES} files.")
    ]


@pytest.mark.parametrize(
    "name",
    ["/../../etc/passwd.png", "/sub/../x.png", "/a\\b.png", "/new\nline.png", "/" + "x" * 256, ""],
)
def test_an_unsafe_name_is_refused(name):
    ((line, message),) = check_files([IncomingFile(name, png(), 21)])
    assert line == 21
    assert message


def test_a_name_given_twice_is_refused_at_its_second_line():
    files = [IncomingFile("/a.png", png(), 3), IncomingFile("a.png", png(shade=2), 9)]
    assert check_files(files) == [(9, "The file name a.png is given twice for this question.")]


def test_every_problem_is_reported_at_once():
    files = [
        IncomingFile("/ok.png", png(), 1),
        IncomingFile("/x.png", b"text", 2),
        IncomingFile("/../y.png", png(), 3),
        IncomingFile("/z.svg", SVG, 4),
    ]
    assert [line for line, _message in check_files(files)] == [2, 3, 4]


# -- attach_files and reading back ---------------------------------------------------------


def test_attached_files_are_read_back_by_name(make):
    version = _version(make)
    attach_files(
        version,
        [IncomingFile("/sub/b.gif", GIF, 5), IncomingFile("/chart.png", png(), 4)],
    )
    db.session.commit()
    assert files_of([version.id]) == {version.id: [("chart.png", png()), ("sub/b.gif", GIF)]}
    facts = facts_of(version.id)
    assert [(f.name, f.content_type, f.size, f.type_label) for f in facts] == [
        ("chart.png", "image/png", len(png()), "PNG"),
        ("sub/b.gif", "image/gif", len(GIF), "GIF"),
    ]


def test_the_same_image_is_stored_once(make):
    first, second = _version(make), _version(make)
    attach_files(first, [IncomingFile("/chart.png", png(), 1)])
    attach_files(second, [IncomingFile("/other-name.png", png(), 1)])
    attach_files(second, [IncomingFile("/logo.png", png(shade=3), 2)])
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 2
    assert db.session.scalar(select(func.count()).select_from(QuestionFile)) == 3


def test_attach_writes_nothing_when_a_file_is_refused(make):
    version = _version(make)
    with pytest.raises(QuestionFileError) as raised:
        attach_files(version, [IncomingFile("/ok.png", png(), 3), IncomingFile("/x.png", b"no", 7)])
    assert raised.value.problems[0][0] == 7
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0
    assert db.session.scalar(select(func.count()).select_from(QuestionFile)) == 0


def test_attach_refuses_a_name_the_version_already_has(make):
    version = _version(make)
    attach_files(version, [IncomingFile("/chart.png", png(), 3)])
    with pytest.raises(QuestionFileError) as raised:
        attach_files(version, [IncomingFile("chart.png", png(shade=9), 11)])
    assert raised.value.problems == [
        (11, "The file chart.png is already attached to this version.")
    ]


def test_attach_does_not_commit(make):
    version = _version(make)
    version_id = version.id
    attach_files(version, [IncomingFile("/chart.png", png(), 3)])
    db.session.rollback()
    assert files_of([version_id]) == {version_id: []}
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0


def test_a_new_version_sees_its_questions_earlier_files_the_latest_of_a_name_winning(make):
    question = make.question(_draft())
    first = bank.current_version(question)
    attach_files(
        first, [IncomingFile("/chart.png", png(), 1), IncomingFile("/logo.png", png(shade=5), 2)]
    )
    db.session.commit()
    second = bank.revise_question(question, _draft('Now? <img src="@@PLUGINFILE@@/chart.png">'))
    third = bank.revise_question(question, _draft('Then? <img src="@@PLUGINFILE@@/chart.png">'))
    assert second is not None and third is not None
    attach_files(second, [IncomingFile("/chart.png", png(shade=7), 1)])
    other = _version(make)  # another question's files are never seen
    attach_files(other, [IncomingFile("/extra.png", png(shade=8), 1)])
    db.session.commit()
    found = files_of([first.id, second.id, third.id])
    assert found[first.id] == [("chart.png", png()), ("logo.png", png(shade=5))]
    assert found[second.id] == [("chart.png", png(shade=7)), ("logo.png", png(shade=5))]
    assert found[third.id] == found[second.id]


def test_files_of_many_versions_is_one_query(make):
    versions = [_version(make) for _ in range(5)]
    for n, version in enumerate(versions):
        attach_files(
            version,
            [IncomingFile("/a.png", png(shade=n), 1), IncomingFile("/b.png", png(shade=50 + n), 2)],
        )
    db.session.commit()
    db.session.expire_all()
    ids = [v.id for v in versions]
    with selects() as seen:
        found = files_of([*ids, 999_999])
    assert len(seen) == 1
    assert found[999_999] == []
    assert [len(found[i]) for i in ids] == [2] * 5


def test_bytes_round_trip_through_the_database(make):
    # Every byte value, NULs and high bytes included, behind a PNG signature.
    data = png() + bytes(range(256)) * 64
    version = _version(make)
    attach_files(version, [IncomingFile("/all-bytes.png", data, 1)])
    db.session.commit()
    db.session.expire_all()
    assert files_of([version.id])[version.id] == [("all-bytes.png", data)]
    stored = db.session.scalars(select(StoredFile)).one()
    assert bytes(stored.data) == data
    assert stored.size == len(data)


def test_files_are_never_changed_or_deleted(make):
    version = _version(make)
    attach_files(version, [IncomingFile("/chart.png", png(), 1)])
    db.session.commit()
    stored = db.session.scalars(select(StoredFile)).one()
    stored.content_type = "image/gif"
    with pytest.raises(ImmutableVersionError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalars(select(QuestionFile)).one())
    with pytest.raises(ImmutableVersionError):
        db.session.flush()
    db.session.rollback()


def test_a_backup_holds_the_files(make, database_url, tmp_path):
    """`camp backup` copies SQLite's whole database, so the files go with it (PostgreSQL
    is backed up with pg_dump, which takes every table)."""
    if is_postgres(database_url):
        pytest.skip("PostgreSQL is backed up with pg_dump")
    data = png() + bytes(range(256))
    version = _version(make)
    attach_files(version, [IncomingFile("/chart.png", data, 1)])
    db.session.commit()
    source = sqlite_path(str(db.engine.url))
    assert source is not None
    target = tmp_path / "backup.sqlite3"
    backup_sqlite(source, target)
    with closing(sqlite3.connect(target)) as copy:
        rows = copy.execute(
            "SELECT f.name, s.data FROM question_files f JOIN stored_files s USING (sha256)"
        ).fetchall()
    assert rows == [("chart.png", data)]
