"""Where Camp's non-Python parts live: templates, migrations and lesson content.

This module is the one place that says where each folder is. In the repository the folders
sit at the top level, next to the ``camp`` package, and that is where people edit them. A
wheel (and so ``pip install .``) carries a copy of each inside the package, under
``camp/_bundled/`` (setup.py and ``[tool.setuptools.package-data]`` in pyproject.toml map
the top-level folders there at build time). Each folder is looked for, in this order:

1. the copy inside the installed package, ``camp/_bundled/<folder>``: a wheel or
   ``pip install .``;
2. the source checkout, ``<checkout>/<folder>``: a clone, ``pip install -e .``, the tests.

The first that exists wins. ``camp/_bundled/`` exists only in a build, never in a checkout,
so an editable install always uses the top-level folders: there is one copy to edit. When
neither exists the checkout's path is kept, so that error messages name the usual place.

Real directories rather than ``importlib.resources``: Flask's template loader, Alembic and
the content loader all want a path, and a wheel is always installed unpacked.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_DIR = PACKAGE_DIR / "_bundled"  # only in an installed wheel
PROJECT_ROOT = PACKAGE_DIR.parent  # the source checkout, when Camp runs from one


def locate(folder: str) -> Path:
    """``folder`` inside the installed package if it is there, else in the checkout."""
    for candidate in (BUNDLED_DIR / folder, PROJECT_ROOT / folder):
        if candidate.is_dir():
            return candidate
    return PROJECT_ROOT / folder


TEMPLATES_DIR = locate("templates")
MIGRATIONS_DIR = locate("migrations")
CONTENT_DIR = locate("quizzes")
