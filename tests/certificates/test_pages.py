"""The certificates as people use them: a student gets theirs from /progress (a Chinese
name comes out of the PDF as written), the organiser's page issues, revokes and downloads
(one PDF, the cohort's ZIP), and anyone checks a number at /certificates/<id>."""

from __future__ import annotations

import io
import re
import zipfile

import pypdf
import pytest
from sqlalchemy import func, select

from camp.certificates.documents import public_identifier
from camp.certificates.issuing import certificate_of, issue_by_hand, revoke
from camp.certificates.models import Certificate
from camp.extensions import db
from tests.certificates.conftest import scored

PUBLIC_URL = "https://camp.example.edu.cn"


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False, "CAMP_PUBLIC_URL": PUBLIC_URL}


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def _count() -> int:
    return db.session.scalar(select(func.count(Certificate.id)))


def test_a_student_who_meets_the_rule_gets_their_certificate_from_progress(client, login, course):
    _organiser, cohort, ann, _ben, quiz1, quiz2, _q = course
    ann.display_name = "李小龙"
    db.session.commit()
    login(ann)
    assert "Certificates" not in client.get("/progress").get_data(as_text=True)
    scored(ann, quiz1, 0.9)
    scored(ann, quiz2, 0.9)
    page = client.get("/progress").get_data(as_text=True)
    assert "You have earned the certificate of Cohort A." in page
    response = client.post(f"/progress/certificates/{cohort.id}")
    assert response.status_code == 303
    pdf = client.get(response.location)
    assert pdf.mimetype == "application/pdf"
    assert "attachment" in pdf.headers["Content-Disposition"]
    text = _pdf_text(pdf.data)
    assert "李小龙" in text
    assert "Value of IP" in text and "WIPO" in text
    identifier = public_identifier(certificate_of(cohort.id, ann.id))
    assert f"{PUBLIC_URL}/certificates/{identifier}" in text.replace("\n", "")
    # The progress page now offers the download, and a second request makes no second one.
    assert "Download my certificate of Cohort A" in client.get("/progress").get_data(as_text=True)
    client.post(f"/progress/certificates/{cohort.id}")
    assert _count() == 1


def test_the_pdf_is_in_the_readers_language(client, login, course):
    organiser, cohort, ann, *_rest = course
    issue_by_hand(cohort, ann.id, organiser, "Demo")
    db.session.commit()
    login(ann)
    english = _pdf_text(client.get(f"/progress/certificates/{cohort.id}.pdf").data)
    chinese = _pdf_text(
        client.get(
            f"/progress/certificates/{cohort.id}.pdf", headers={"Accept-Language": "zh-CN"}
        ).data
    )
    assert "Certificate of completion" in english
    assert "Certificate of completion" not in chinese and "Ann" in chinese


def test_a_student_without_a_certificate_gets_none(client, login, course, make):
    _organiser, cohort, ann, *_rest = course
    login(ann)
    assert client.post(f"/progress/certificates/{cohort.id}").status_code == 404
    assert client.get(f"/progress/certificates/{cohort.id}.pdf").status_code == 404
    assert _count() == 0


def test_the_public_page_says_valid_revoked_or_not_found_and_nothing_more(client, course):
    organiser, cohort, ann, *_rest = course
    ann.email = "ann@example.org"
    certificate = issue_by_hand(cohort, ann.id, organiser, "Demo")
    db.session.commit()
    identifier = public_identifier(certificate)
    page = client.get(f"/certificates/{identifier}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "This certificate is valid." in text and "Ann" in text and "Cohort A" in text
    assert "ann@example.org" not in text and "Demo" not in text

    revoke(cohort, ann.id, organiser, "Plagiarised the essay")
    db.session.commit()
    text = client.get(f"/certificates/{identifier}").get_data(as_text=True)
    assert "This certificate was revoked." in text
    assert "Plagiarised" not in text

    forged = identifier[:-1] + ("a" if identifier[-1] != "a" else "b")
    response = client.get(f"/certificates/{forged}")
    assert response.status_code == 404
    assert "No certificate has this number." in response.get_data(as_text=True)


def test_a_number_typed_loosely_is_found(client, course):
    organiser, cohort, ann, *_rest = course
    identifier = public_identifier(issue_by_hand(cohort, ann.id, organiser, "Demo"))
    db.session.commit()
    typed = identifier.replace("-", " ").upper()
    response = client.get("/certificates", query_string={"number": typed})
    assert response.status_code == 302
    assert response.location.endswith(f"/certificates/{identifier}")
    loose = client.get(f"/certificates/{identifier.replace('-', '').upper()}")
    assert loose.status_code == 301 and loose.location.endswith(identifier)


def test_the_organiser_issues_to_everyone_who_meets_the_rule_and_downloads_the_zip(
    client, login, course
):
    organiser, cohort, ann, ben, quiz1, quiz2, _q = course
    for student in (ann, ben):
        scored(student, quiz1, 0.9)
        scored(student, quiz2, 0.9)
    login(organiser)
    page = client.get(f"/organiser/cohorts/{cohort.id}/certificates").get_data(as_text=True)
    assert "2 students meet the rule and have no certificate yet." in page
    client.post(f"/organiser/cohorts/{cohort.id}/certificates/issue")
    assert _count() == 2
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/organiser/cohorts/{cohort.id}/certificates/all.zip").data)
    )
    names = archive.namelist()
    assert [re.sub(r"-[a-z2-7]{5}\.pdf$", "", n) for n in names] == [
        "certificate-ann",
        "certificate-ben",
    ]
    assert "Ben" in _pdf_text(archive.read(names[1]))
    one = client.get(f"/organiser/cohorts/{cohort.id}/certificates/{ann.id}.pdf")
    assert "Ann" in _pdf_text(one.data)


def test_issuing_or_revoking_without_a_reason_rerenders_with_a_message_and_writes_nothing(
    client, login, course
):
    organiser, cohort, ann, *_rest = course
    login(organiser)
    response = client.post(
        f"/organiser/cohorts/{cohort.id}/certificates/{ann.id}/issue", data={"reason": ""}
    )
    assert response.status_code == 400
    assert "This field is required." in response.get_data(as_text=True)
    assert _count() == 0
    client.post(
        f"/organiser/cohorts/{cohort.id}/certificates/{ann.id}/issue",
        data={"reason": "Passed orally"},
    )
    assert certificate_of(cohort.id, ann.id).valid
    response = client.post(
        f"/organiser/cohorts/{cohort.id}/certificates/{ann.id}/revoke", data={"reason": " "}
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert certificate_of(cohort.id, ann.id).valid
    client.post(
        f"/organiser/cohorts/{cohort.id}/certificates/{ann.id}/revoke",
        data={"reason": "Issued by mistake"},
    )
    db.session.expire_all()
    assert not certificate_of(cohort.id, ann.id).valid


def test_a_student_of_another_cohort_is_refused_by_name(client, login, course, make):
    organiser, cohort, *_rest = course
    outsider = make.user(name="Outsider")
    login(organiser)
    response = client.post(
        f"/organiser/cohorts/{cohort.id}/certificates/{outsider.id}/issue",
        data={"reason": "because"},
    )
    assert response.status_code == 400
    assert "That person is not a student of this cohort." in response.get_data(as_text=True)
    assert _count() == 0


def test_the_rule_form_saves_and_refuses_a_camp_that_ends_before_it_starts(client, login, course):
    organiser, cohort, _ann, _ben, quiz1, _quiz2, _q = course
    login(organiser)
    url = f"/organiser/cohorts/{cohort.id}/certificates/rule"
    bad = client.post(url, data={"starts_on": "2026-07-10", "ends_on": "2026-07-06"})
    assert bad.status_code == 400
    assert "The camp&#39;s last day is before its first day." in bad.get_data(as_text=True)
    good = client.post(
        url,
        data={
            "quizzes": [str(quiz1.id)],
            "camp_title": "IP Camp",
            "starts_on": "2026-07-06",
            "ends_on": "2026-07-10",
        },
    )
    assert good.status_code == 302
    page = client.get(f"/organiser/cohorts/{cohort.id}/certificates").get_data(as_text=True)
    assert 'value="IP Camp"' in page and 'value="2026-07-06"' in page
