"""What the certificate tests share: a small course (two module quizzes, a cohort of Ann
and Ben) and scored attempts, sample data, the machine's embedded CJK font (or a
skip saying there is none), and reading a PDF back (text, character boxes, metadata)."""

from __future__ import annotations

import dataclasses
import io

import pypdfium2 as pdfium
import pytest
from sqlalchemy import func, select

from camp.accounts.models import Role
from camp.certificates.fonts import CertificateFont, certificate_font, cid_font
from camp.certificates.ids import new_certificate_id
from camp.certificates.pdf import CertificateData, CertificateLabels
from camp.db import utcnow
from camp.extensions import db
from camp.quizzes.models import Attempt, AttemptState

SECRET = "test-secret"
BILINGUAL = CertificateLabels(
    heading="结业证书 Certificate of completion",
    awarded_to="授予 awarded to",
    modules="已完成模块 Modules completed",
    cohort="班级 Cohort",
    issued_on="颁发日期 Issued on",
    number="证书编号 Certificate number",
    verify_at="验证网址 Verify at",
    scan_to_verify="扫码验证 Scan to verify",
    language="zh-Hans",
)


def sample(**changes: object) -> CertificateData:
    """A certificate's data, with `changes`."""
    identifier = new_certificate_id(SECRET)
    data = CertificateData(
        student_name="李小龙",
        cohort_name="2026 暑期第一期",
        camp_title="Intellectual Property Training Camp 知识产权训练营",
        camp_dates="6\u201310 July 2026",
        modules=("Patents: the basics", "专利检索与分析", "Copyright and software"),
        issued_on="10 July 2026",
        certificate_id=identifier,
        verification_url=f"https://camp.example.edu.cn/certificates/{identifier}",
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def embedded_font() -> CertificateFont:
    """The CJK TrueType font found on this machine, embedded in the PDF."""
    font = certificate_font()
    if not font.embedded:
        pytest.skip(
            "no TrueType font with Chinese characters here (Debian: apt install "
            "fonts-wqy-microhei); only the CID fallback can be tested"
        )
    return font


@pytest.fixture(params=["embedded", "cid"])
def any_font(request: pytest.FixtureRequest) -> CertificateFont:
    """Each way of drawing Chinese: the machine's TrueType font, ReportLab's CID font."""
    if request.param == "cid":
        return cid_font()
    return request.getfixturevalue("embedded_font")


def char_boxes(pdf: bytes) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each drawn character and its glyph's box (left, bottom, right, top) in points."""
    document = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        text = document[0].get_textpage()
        found = []
        for index in range(text.count_chars()):
            char = text.get_text_range(index, 1)
            if char.strip():
                found.append((char, text.get_charbox(index)))
        return found
    finally:
        document.close()


def text_lines(pdf: bytes) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each run of text on one line and the box around its glyphs, as pdfium finds them."""
    document = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        text = document[0].get_textpage()
        found = []
        for index in range(text.count_rects()):
            box = text.get_rect(index)
            found.append((text.get_text_bounded(*box), box))
        return found
    finally:
        document.close()


def scored(user, quiz, score):
    """A submitted attempt with this score (0 to 1)."""
    number = db.session.scalar(
        select(func.count(Attempt.id)).where(Attempt.user_id == user.id, Attempt.quiz_id == quiz.id)
    )
    db.session.add(
        Attempt(
            quiz_id=quiz.id,
            user_id=user.id,
            number=number + 1,
            seed="s",
            state=AttemptState.SUBMITTED,
            started_at=utcnow(),
            submitted_at=utcnow(),
            score=score,
        )
    )
    db.session.commit()


@pytest.fixture
def course(make):
    organiser = make.user(Role.ORGANISER)
    cohort = make.cohort("Cohort A", organiser=organiser)
    ann, ben = make.user(name="Ann"), make.user(name="Ben")
    make.member(cohort, ann)
    make.member(cohort, ben)
    q = make.choice_question()
    one, two = make.module(title="Value of IP"), make.module(title="WIPO")
    quiz1 = make.quiz([q], module_id=one.id, pass_mark=70)
    quiz2 = make.quiz([q], module_id=two.id, pass_mark=70)
    return organiser, cohort, ann, ben, quiz1, quiz2, q
