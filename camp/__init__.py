"""Camp: a quiz and training-camp learning platform.

`create_app` is the only entry point: it builds a configured Flask application by
calling a short list of ``register_*`` functions and has no other side effects.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from camp.paths import TEMPLATES_DIR


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Camp application; ``config`` overrides settings (tests use it)."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("CAMP_INSTANCE_PATH") or None,
        template_folder=str(TEMPLATES_DIR),
        static_folder="static",
        instance_relative_config=True,
    )
    # Why: Jinja's default template cache is an LRU behind a lock, taken for every template
    # a page renders; under a room's load the request threads queued on it (a sixth of a
    # worker's time on question pages). Camp has a few dozen templates: keep them all, in
    # a plain dict. Set before the environment is first built.
    app.jinja_options = {**app.jinja_options, "cache_size": -1}
    from camp import config as camp_config
    from camp import models  # noqa: F401  (complete metadata)
    from camp.blueprints import register_blueprints
    from camp.cli import register_commands
    from camp.errors import register_error_handlers
    from camp.extensions import register_extensions
    from camp.i18n import register_i18n
    from camp.localised_templates import LocalisedEnvironment
    from camp.security import register_security
    from camp.templating import register_templating
    from camp.transactions import register_request_transactions

    # Templates compiled once per language (camp.localised_templates).
    app.jinja_environment = LocalisedEnvironment
    camp_config.load(app, config)
    register_extensions(app)
    register_request_transactions(app)
    register_security(app)
    register_i18n(app)
    register_templating(app)
    register_error_handlers(app)
    register_blueprints(app)
    register_commands(app)
    return app
