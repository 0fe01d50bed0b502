"""The route that serves the files embedded in question texts, to whoever may see them
(camp.bank.file_access): `GET /bank/versions/<version id>/files/<name>`.

A response is the stored bytes as the type they were found to be (never guessed from the
name), with `nosniff`, a Content-Security-Policy that lets the file do nothing (no scripts,
no styles, no requests, sandboxed), and cache headers for a year: a version's file never
changes, so its sha256 is its ETag. The cache is private: the file is not for everyone.
Every refusal is a 404, and a visitor who is not logged in is sent to log in.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask_login import login_required
from werkzeug.wrappers import Response as BaseResponse

from camp.accounts.current import current_user
from camp.bank.file_access import file_for

bp = Blueprint("bank", __name__, url_prefix="/bank")

FILE_POLICY = "default-src 'none'; sandbox"
ONE_YEAR = 365 * 24 * 60 * 60


@bp.get("/versions/<int:version_id>/files/<path:name>")
@login_required
def question_file(version_id: int, name: str) -> BaseResponse:
    found = file_for(current_user, version_id, name)
    if found is None:
        abort(404)
    response = Response(found.data, mimetype=found.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_POLICY
    response.headers["Cache-Control"] = f"private, max-age={ONE_YEAR}, immutable"
    response.set_etag(found.sha256)
    return response.make_conditional(request)
