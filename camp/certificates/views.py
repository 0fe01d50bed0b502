"""The certificates' blueprint: its children are the public verification pages and the
student's own downloads (`certificates.public.*`) and the organiser's screen of a cohort
(`certificates.organiser.*`)."""

from __future__ import annotations

from flask import Blueprint

from camp.certificates import organiser_views, public_views

bp = Blueprint("certificates", __name__)
bp.register_blueprint(public_views.bp)
bp.register_blueprint(organiser_views.bp)
