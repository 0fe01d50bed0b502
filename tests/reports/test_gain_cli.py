"""`camp report gain COHORT [--csv]`: the same bytes as the page's CSV, a plain summary, and
an error (exit code 1) for an unknown cohort or one without a pre/post pair."""

from __future__ import annotations

from camp.accounts.models import Role
from tests.gain.worked import worked_cohort


def test_the_cli_prints_the_same_csv_as_the_page(client, login, make, runner):
    worked = worked_cohort(make, name="Cohort Ä")
    login(worked.organiser)
    page = client.get(f"/organiser/cohorts/{worked.cohort.id}/gain?format=csv").data
    result = runner.invoke(args=["report", "gain", "Cohort Ä", "--csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == page
    assert page.startswith(b"\xef\xbb\xbfRow,Name,") and b"took neither test" in page


def test_the_cli_summary(make, runner):
    worked_cohort(make)
    result = runner.invoke(args=["report", "gain", "cohort  a"])  # any case, any spaces
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Cohort A: pre-test 'Day 1 test', post-test 'Day 5 test'"
    assert lines[1] == (
        "  7 students: 3 with both tests, 1 awaiting grading, 1 only the pre-test, "
        "1 only the post-test, 1 neither; 1 answer awaiting grading"
    )
    assert lines[2].startswith("  Whole test: 3 students, pre 66.7%, post 75.0%, class gain 0.25 [")
    assert lines[2].endswith(" LOW")
    assert lines[3].startswith("  law (Copyright law): 3 students, pre 83.3%, post 100.0%")
    assert lines[3].endswith("mean individual gain 1.00")  # one student: no interval
    assert lines[4].startswith("  cases (Case analysis): 4 students, pre 50.0%, post 62.5%")


def test_an_unknown_cohort_or_one_without_a_pair_is_an_error(make, runner):
    make.cohort("Unpaired", organiser=make.user(Role.ORGANISER))
    missing = runner.invoke(args=["report", "gain", "Nope", "--csv"])
    assert missing.exit_code == 1 and "no cohort called" in missing.output
    assert missing.stdout_bytes == b""
    unpaired = runner.invoke(args=["report", "gain", "Unpaired"])
    assert unpaired.exit_code == 1
    assert "Error: cohort 'Unpaired' has no pre-test and post-test" in unpaired.output
    unpaired_csv = runner.invoke(args=["report", "gain", "Unpaired", "--csv"])
    assert unpaired_csv.exit_code == 1 and unpaired_csv.stdout_bytes == b""
