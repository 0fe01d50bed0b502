"""The authoring blueprint: the organiser's screens for the question bank, quizzes and grading
are its children (`authoring.bank.*`, `authoring.quizzes.*`, `authoring.grading.*`), so every
endpoint names the folder its view lives in."""

from __future__ import annotations

from flask import Blueprint

from camp.authoring import bank_views, grading_views, quiz_views

bp = Blueprint("authoring", __name__)
bp.register_blueprint(bank_views.bp)
bp.register_blueprint(quiz_views.bp)
bp.register_blueprint(grading_views.bp)
