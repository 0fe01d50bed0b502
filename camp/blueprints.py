"""The list of blueprints that make up the application."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from camp.accounts import admin_views, organiser_views, views
    from camp.authoring import bank_views, grading_views
    from camp.authoring import quiz_views as quiz_admin_views
    from camp.lessons import views as lesson_views
    from camp.quizzes import views as quiz_views
    from camp.reports import views as report_views
    from camp.urls import IdConverter

    # A rule takes its converters when it is added: replace `int` before any blueprint.
    app.url_map.converters["int"] = IdConverter
    app.register_blueprint(views.bp)
    app.register_blueprint(organiser_views.bp)
    app.register_blueprint(admin_views.bp)
    app.register_blueprint(bank_views.bp)
    app.register_blueprint(quiz_admin_views.bp)
    app.register_blueprint(grading_views.bp)
    app.register_blueprint(lesson_views.bp)
    app.register_blueprint(quiz_views.bp)
    app.register_blueprint(report_views.bp)
