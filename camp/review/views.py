"""The review's blueprint: its children are the student's review (`review.student.*`) and
the organiser's settings of a cohort (`review.organiser.*`)."""

from __future__ import annotations

from flask import Blueprint

from camp.review import organiser_views, student_views

bp = Blueprint("review", __name__)
bp.register_blueprint(student_views.bp)
bp.register_blueprint(organiser_views.bp)
