"""Pages anyone may open, and the student's own certificate.

- `/certificates`: a form to type a certificate number, for whoever holds a paper copy.
- `/certificates/<identifier>`: public, no login: whose certificate it is (the name as
  issued), for which cohort and camp, when it was issued, and whether it is valid or
  revoked. Nothing else about the student; never the reason for a revocation. A number
  that is not one of this Camp's (forged or mistyped) gets a 404 page that says so. A
  number typed with other spacing or case is redirected to its canonical spelling.
- `POST /progress/certificates/<cohort_id>`: the student gets the certificate the rule
  gives them (or the one they have) and is sent to its PDF.
- `/progress/certificates/<cohort_id>.pdf`: the student's own valid certificate.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response as BaseResponse

from camp.accounts.current import current_user
from camp.accounts.models import Cohort
from camp.certificates.documents import PDF_TYPE, certificate_file, file_name
from camp.certificates.ids import normalise_certificate_id
from camp.certificates.issuing import certificate_of, claim
from camp.certificates.verification import verify as verify_identifier
from camp.extensions import db
from camp.transactions import atomic

bp = Blueprint("public", __name__)


@bp.get("/certificates")
def lookup() -> BaseResponse | str:
    number = (request.args.get("number") or "").strip()
    if number:
        canonical = normalise_certificate_id(number) or number[:100]
        return redirect(url_for(".verify", identifier=canonical))
    return render_template("certificates/lookup.html")


@bp.get("/certificates/<identifier>")
def verify(identifier: str) -> BaseResponse | tuple[str, int]:
    canonical = normalise_certificate_id(identifier)
    if canonical is not None and canonical != identifier:
        return redirect(url_for(".verify", identifier=canonical), 301)
    found = verify_identifier(identifier, current_app.config["SECRET_KEY"])
    status = 404 if found.status == "not_found" else 200
    page = render_template(
        "certificates/verify.html", found=found, identifier=canonical or identifier
    )
    return page, status


@bp.post("/progress/certificates/<int:cohort_id>")
@login_required
def get_mine(cohort_id: int) -> BaseResponse:
    cohort = db.get_or_404(Cohort, cohort_id)
    with atomic():
        certificate = claim(cohort, current_user)
    if certificate is None:
        abort(404)
    return redirect(url_for(".download_mine", cohort_id=cohort.id), 303)


@bp.get("/progress/certificates/<int:cohort_id>.pdf")
@login_required
def download_mine(cohort_id: int) -> BaseResponse:
    certificate = certificate_of(cohort_id, current_user.id)
    if certificate is None or not certificate.valid:
        abort(404)
    return pdf_response(certificate_file(certificate), file_name(certificate))


def pdf_response(data: bytes, filename: str, mimetype: str = PDF_TYPE) -> BaseResponse:
    response = current_app.response_class(data, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "no-store"
    return response
