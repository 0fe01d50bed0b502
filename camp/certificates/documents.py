"""A certificate as its reader gets it: the PDF in the request's language, a cohort's
certificates as one ZIP, and the public identifier and verification address printed on
them.

The identifier is signed with the application's secret (camp.certificates.ids); the row
keeps only its random part. The verification address starts with `CAMP_PUBLIC_URL` when
it is set (what an employer can reach: set it before issuing certificates for real), else
with the address this request came to. Fixed texts are translated here; what the
certificate says of the student, the cohort and the camp is what was kept when it was
issued. The font is `CAMP_CERTIFICATE_FONT` when set, else one found on the machine.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from datetime import UTC

from babel.dates import format_date, format_interval
from flask import current_app, url_for
from flask_babel import get_locale  # type: ignore[import-untyped]
from flask_babel import gettext as _
from sqlalchemy import select

from camp.accounts.models import Cohort
from camp.certificates.fonts import CertificateFont, certificate_font
from camp.certificates.ids import certificate_id_for
from camp.certificates.models import Certificate
from camp.certificates.pdf import CertificateData, CertificateLabels, certificate_pdf
from camp.extensions import db
from camp.i18n import camp_zone, current_locale
from camp.locales import DEFAULT_LOCALE

PDF_TYPE = "application/pdf"
ZIP_TYPE = "application/zip"


def public_identifier(certificate: Certificate) -> str:
    """The identifier printed on the certificate and in its verification address."""
    return certificate_id_for(certificate.public_id, _secret())


def verification_url(identifier: str) -> str:
    configured = current_app.config.get("CAMP_PUBLIC_URL") or ""
    path = url_for("certificates.public.verify", identifier=identifier)
    if configured:
        return configured + path
    return url_for("certificates.public.verify", identifier=identifier, _external=True)


def certificate_file(certificate: Certificate) -> bytes:
    """The certificate as a PDF, its fixed texts in this request's language."""
    return certificate_pdf(_data(certificate, _labels()), _font())


def file_name(certificate: Certificate) -> str:
    """`certificate-<name>-<first group of the identifier>.pdf`, in ASCII for every
    browser and ZIP tool (a Chinese name keeps only the identifier)."""
    plain = unicodedata.normalize("NFKD", certificate.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:40]
    first_group = public_identifier(certificate).split("-")[0]
    return "-".join(part for part in ("certificate", slug, first_group) if part) + ".pdf"


def cohort_zip(cohort: Cohort) -> bytes:
    """Every valid certificate of the cohort, one PDF each, in one ZIP (by name)."""
    certificates = db.session.scalars(
        select(Certificate)
        .where(Certificate.cohort_id == cohort.id, Certificate.revoked_at.is_(None))
        .order_by(Certificate.name, Certificate.id)
    )
    return _zipped(certificates)


def _zipped(certificates: Iterable[Certificate]) -> bytes:
    buffer = io.BytesIO()
    font = _font()
    labels = _labels()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            pdf = certificate_pdf(_data(certificate, labels), font)
            archive.writestr(file_name(certificate), pdf)
    return buffer.getvalue()


def _data(certificate: Certificate, labels: CertificateLabels) -> CertificateData:
    locale = current_locale()
    identifier = public_identifier(certificate)
    modules = tuple(
        titles.get(locale) or titles.get(DEFAULT_LOCALE) or next(iter(titles.values()), "")
        for titles in certificate.modules
    )
    return CertificateData(
        student_name=certificate.name,
        cohort_name=certificate.cohort_name,
        camp_title=certificate.camp_title or certificate.cohort_name,
        camp_dates=_camp_dates(certificate),
        modules=modules,
        issued_on=_day(certificate),
        certificate_id=identifier,
        verification_url=verification_url(identifier),
        labels=labels,
    )


def _labels() -> CertificateLabels:
    return CertificateLabels(
        heading=_("Certificate of completion"),
        awarded_to=_("awarded to"),
        modules=_("Modules completed"),
        cohort=_("Cohort"),
        issued_on=_("Issued on"),
        number=_("Certificate number"),
        verify_at=_("Verify at"),
        scan_to_verify=_("Scan to verify"),
        language="zh-Hans" if current_locale() == "zh_Hans" else "en",
    )


def _day(certificate: Certificate) -> str:
    issued = certificate.issued_at.replace(tzinfo=certificate.issued_at.tzinfo or UTC)
    return format_date(issued.astimezone(camp_zone()).date(), "long", locale=get_locale())


def _camp_dates(certificate: Certificate) -> str:
    first, last = certificate.starts_on, certificate.ends_on
    if first and last:
        return str(format_interval(first, last, "yMMMd", locale=get_locale()))
    if first or last:
        return format_date(first or last, "long", locale=get_locale())
    return ""


def _font() -> CertificateFont:
    return certificate_font(current_app.config.get("CAMP_CERTIFICATE_FONT") or None)


def _secret() -> str:
    return str(current_app.config["SECRET_KEY"])
