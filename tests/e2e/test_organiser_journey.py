"""An organiser creates a cohort, adds students by pasting lines, imports a GIFT file after
checking its preview, builds a quiz with a random slot, and reads the cohort report and the
quiz statistics (a new student's attempt gives them something to count) and downloads CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.e2e.helpers import STUDENT_PASSWORD, answer_question, expect, log_in, questions

pytestmark = pytest.mark.e2e

COHORT = "Autumn camp"
ROSTER = "Ada Lovelace, ada@example.org\nGrace Hopper, grace@example.org\n"
CATEGORY = "Trademarks basics"
QUIZ = "Trademarks warm-up"
GIFT = f"""$CATEGORY: {CATEGORY}

// [id:tm-01] [tag:tm-signs]
::What a trademark protects::What does a trademark protect?{{
=A sign that tells one company's goods or services from another's
~An invention
~The look of a product
}}

// [id:tm-02] [tag:tm-signs]
::Renewal::True or false? A registered trademark can be renewed again and again.{{T}}

// [id:tm-03] [tag:tm-system]
::Madrid::Which WIPO-run system lets a company seek trademark protection in many countries
with one application?{{=Madrid =the Madrid System}}
"""


def test_organiser_runs_a_cohort_imports_questions_builds_a_quiz_and_reads_reports(
    camp, new_page, audit
):
    page = new_page()
    log_in(page, *camp.login("organiser"), audit)
    expect(page.get_by_role("heading", name="Cohorts", level=1)).to_be_visible()

    # A cohort, and two students pasted in.
    page.get_by_label("Cohort name").fill(COHORT)
    page.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_role("heading", name=COHORT, level=1)).to_be_visible()
    expect(page.get_by_text(f"Cohort {COHORT} created.")).to_be_visible()
    audit.check(page)
    page.get_by_label("Students to add").fill(ROSTER)
    page.get_by_role("button", name="Add students").click()
    expect(page.get_by_role("heading", name=f"Students added to {COHORT}")).to_be_visible()
    accounts = page.get_by_role("table", name="New accounts")
    ada = accounts.get_by_role("row").filter(has_text="ada@example.org")
    one_time_password = ada.get_by_role("cell").nth(2).inner_text().strip()
    expect(accounts.get_by_role("row")).to_have_count(3)  # a header and two students
    audit.check(page)

    # A GIFT file: upload, read the preview, confirm.
    page.goto("/organiser/bank/import")
    audit.check(page)
    page.get_by_label("Question file (GIFT or Moodle XML)").set_input_files(
        files={"name": "trademarks.gift", "mimeType": "text/plain", "buffer": GIFT.encode()}
    )
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", name="Preview of trademarks.gift")).to_be_visible()
    expect(page.get_by_text("Importing will create 3, update 0")).to_be_visible()
    preview = page.get_by_role("table", name=re.compile("What importing trademarks.gift will do"))
    for uid in ("tm-01", "tm-02", "tm-03"):
        expect(preview.get_by_role("cell", name=uid, exact=True)).to_be_visible()
    audit.check(page)
    page.get_by_role("button", name="Import 3 questions").click()
    expect(page.get_by_role("heading", name="Question bank", level=1)).to_be_visible()
    audit.check(page)

    # A quiz that draws two of the three at random.
    page.goto("/organiser/quizzes")
    audit.check(page)
    page.get_by_label("Quiz title").fill(QUIZ)
    page.get_by_role("button", name="Create quiz").click()
    expect(page.get_by_role("heading", name=QUIZ, level=1)).to_be_visible()
    audit.check(page)
    random_slot = page.get_by_role("region", name="Add random questions")
    random_slot.get_by_label("Category").select_option(label=CATEGORY)
    random_slot.get_by_label("Number of questions to draw").fill("2")
    random_slot.get_by_role("button", name="Add a random slot").click()
    slots = page.get_by_role("table", name=re.compile("The paper, in order"))
    expect(slots.get_by_role("cell", name="Random", exact=True)).to_be_visible()
    expect(slots.get_by_text(re.compile(rf"2 at random\s+from {CATEGORY}"))).to_be_visible()
    expect(slots.get_by_text("(3 available now)")).to_be_visible()
    audit.check(page)
    quiz_url = page.url

    # One of the new students changes the one-time password and takes the quiz.
    student = new_page()
    log_in(student, "ada@example.org", one_time_password, audit)
    expect(student.get_by_text("Choose a new password before you go on.")).to_be_visible()
    student.get_by_label("Current password").fill(one_time_password)
    student.get_by_label("New password", exact=True).fill(STUDENT_PASSWORD)
    student.get_by_label("Repeat the new password").fill(STUDENT_PASSWORD)
    student.get_by_role("button", name="Change password").click()
    expect(student.get_by_text("Your password is changed.")).to_be_visible()
    audit.check(student)
    student.goto("/quizzes/" + quiz_url.rstrip("/").rsplit("/", 1)[1])
    expect(student.get_by_role("heading", name=QUIZ)).to_be_visible()
    audit.check(student)
    student.get_by_role("button", name="Start the quiz").click()
    for number in (1, 2):
        expect(student.get_by_text(f"Question {number} of 2")).to_be_visible()
        audit.check(student)
        answer_question(questions(student).first, text="Madrid")
        student.get_by_role("button", name=re.compile(r"^Save and (next|review answers)$")).click()
    expect(
        student.get_by_role("heading", name="Check your answers before you submit")
    ).to_be_visible()
    audit.check(student)
    student.get_by_role("button", name="Submit all and finish").click()
    expect(student.get_by_role("heading", name="Review of attempt 1")).to_be_visible()
    audit.check(student)

    # The cohort report, the quiz statistics and their CSV files.
    page.get_by_role("link", name="Cohorts", exact=True).click()
    page.get_by_role("link", name=COHORT).click()
    page.get_by_role("link", name="Cohort report").click()
    expect(page.get_by_role("heading", name=f"Report: {COHORT}")).to_be_visible()
    grid = page.get_by_role("table", name=re.compile(r"^2 students"))
    for name in ("Ada Lovelace", "Grace Hopper"):
        expect(grid.get_by_role("rowheader", name=name)).to_be_visible()
    audit.check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert {"Ada Lovelace", "Grace Hopper"} <= {cell for row in rows for cell in row}, rows[:3]

    page.goto(quiz_url)
    page.get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", name=f"Statistics: {QUIZ}")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Counting each student's first attempt: 1 of 1"))
    ).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"\(tm-0[123]\)"))).to_have_count(2)
    audit.check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as CSV").click()
    stats = download_info.value
    assert stats.suggested_filename.endswith(".csv"), stats.suggested_filename
    lines = Path(stats.path()).read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) >= 3 and any("tm-0" in line for line in lines), lines
    audit.assert_clean()
