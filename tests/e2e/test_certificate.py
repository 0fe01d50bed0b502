"""A student who passed every module quiz gets their certificate from /progress as a PDF
with their name on it, and anyone, not logged in, checks it at the address it prints: the
verification page says it is valid and passes the accessibility audit."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from tests.e2e.helpers import expect, log_in

pytestmark = pytest.mark.e2e


def test_a_student_downloads_their_certificate_and_anyone_can_check_it(
    camp, db_app, new_page, audit
):
    from sqlalchemy import select

    from camp.accounts.models import User
    from camp.extensions import db
    from camp.quizzes.models import Quiz
    from tests.certificates.conftest import scored

    email, password = camp.login("student")
    student = db.session.scalar(select(User).where(User.email == email))
    for quiz in db.session.scalars(select(Quiz).where(Quiz.module_id.is_not(None))):
        scored(student, quiz, 1.0)

    page = new_page()
    log_in(page, email, password, audit)
    page.goto("/progress")
    audit.check(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Get my certificate (PDF)").click()
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf")
    text = pypdf.PdfReader(io.BytesIO(pdf.path().read_bytes())).pages[0].extract_text()
    assert student.display_name in text
    address = re.search(r"https?://\S+/certificates/[a-z2-7-]+", text.replace("\n", ""))
    assert address, text

    # The progress page now offers the download itself.
    page.reload()
    expect(page.get_by_role("link", name=re.compile("Download my certificate"))).to_be_visible()

    visitor = new_page()  # another browser, nobody logged in
    visitor.goto(address.group(0))
    expect(visitor.get_by_role("heading", name="This certificate is valid.")).to_be_visible()
    expect(visitor.get_by_text(student.display_name, exact=True)).to_be_visible()
    audit.check(visitor)
    audit.assert_clean()
