"""A report's CSV as a download: the response every report page (and the live results)
serves for `?format=csv`."""

from __future__ import annotations

from flask import Response


def csv_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "no-store"
    return response
