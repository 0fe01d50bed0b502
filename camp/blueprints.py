"""The list of blueprints that make up the application.

Each package with views has one blueprint named after its folder; a package with several
screens (accounts, authoring) has child blueprints named after their modules, so an endpoint
such as `authoring.bank.browse` says where its view lives.
"""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from camp.accounts import views
    from camp.authoring import views as authoring_views
    from camp.bank import views as bank_views
    from camp.certificates import views as certificate_views
    from camp.gain import views as gain_views
    from camp.health import bp as health_bp
    from camp.lessons import views as lesson_views
    from camp.live import views as live_views
    from camp.quizzes import views as quiz_views
    from camp.reports import views as report_views
    from camp.review import views as review_views
    from camp.urls import IdConverter

    # A rule takes its converters when it is added: replace `int` before any blueprint.
    app.url_map.converters["int"] = IdConverter
    app.register_blueprint(views.bp)
    app.register_blueprint(authoring_views.bp)
    app.register_blueprint(bank_views.bp)
    app.register_blueprint(lesson_views.bp)
    app.register_blueprint(quiz_views.bp)
    app.register_blueprint(report_views.bp)
    app.register_blueprint(live_views.bp)
    app.register_blueprint(gain_views.bp)
    app.register_blueprint(certificate_views.bp)
    app.register_blueprint(review_views.bp)
    app.register_blueprint(health_bp)
