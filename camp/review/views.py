"""The review's blueprint: its children are the organiser's settings of a cohort
(`review.organiser.*`) and, later, the student's review (`review.student.*`)."""

from __future__ import annotations

from flask import Blueprint

from camp.review import organiser_views

bp = Blueprint("review", __name__)
bp.register_blueprint(organiser_views.bp)
