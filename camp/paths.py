"""Where Camp's non-Python parts live: templates, migrations and lesson content."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
CONTENT_DIR = PROJECT_ROOT / "quizzes"
