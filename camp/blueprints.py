"""The list of blueprints that make up the application."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from camp.accounts import admin_views, organiser_views, views
    from camp.lessons import views as lesson_views

    app.register_blueprint(views.bp)
    app.register_blueprint(organiser_views.bp)
    app.register_blueprint(admin_views.bp)
    app.register_blueprint(lesson_views.bp)
