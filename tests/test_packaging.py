"""Camp installs anywhere: a wheel carries the templates, migrations and lesson modules.

The folders stay at the top of the repository; setup.py and pyproject.toml map them into the
wheel as ``camp/_bundled/<folder>``, and camp.paths finds that copy first, else the
checkout's folder. scripts/smoke_wheel.sh (run by .ci/run) installs a real wheel and serves.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

from camp import paths

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("templates", "migrations", "quizzes")
# What the build reads: the packaging configuration, the readme and the packaged folders.
BUILD_INPUTS = ("pyproject.toml", "setup.py", "README.md", "camp", *FOLDERS)
SKIPPED = shutil.ignore_patterns("__pycache__", "*.py[co]")


def test_the_checkout_uses_its_top_level_folders() -> None:
    assert paths.PROJECT_ROOT == ROOT
    assert paths.TEMPLATES_DIR == ROOT / "templates"
    assert paths.MIGRATIONS_DIR == ROOT / "migrations"
    assert paths.CONTENT_DIR == ROOT / "quizzes"
    assert not paths.BUNDLED_DIR.exists(), "camp/_bundled/ belongs in a wheel, not a checkout"


def test_the_copy_inside_the_package_comes_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled, checkout = tmp_path / "site-packages" / "camp" / "_bundled", tmp_path / "checkout"
    monkeypatch.setattr(paths, "BUNDLED_DIR", bundled)
    monkeypatch.setattr(paths, "PROJECT_ROOT", checkout)

    assert paths.locate("templates") == checkout / "templates"  # neither: the usual place
    (checkout / "templates").mkdir(parents=True)
    assert paths.locate("templates") == checkout / "templates"
    (bundled / "templates").mkdir(parents=True)
    assert paths.locate("templates") == bundled / "templates"


def _missing_build_requirements() -> str | None:
    """Why the wheel cannot be built offline here, if it cannot ([build-system] requires)."""
    try:
        setuptools_version = version("setuptools")
    except PackageNotFoundError:
        return "setuptools is not installed"
    if int(setuptools_version.split(".")[0]) < 68:
        return f"setuptools {setuptools_version} is older than 68"
    if importlib.util.find_spec("wheel") is None:
        return "wheel is not installed"
    return None


def _build_wheel(tmp_path: Path) -> zipfile.ZipFile:
    """Build the wheel from a copy of the build's inputs: the checkout is not written to,
    and nothing left in its build/ folder can stand in for a file the build missed."""
    missing = _missing_build_requirements()
    if missing:
        pytest.skip(f"{missing}: pip install -e '.[test]' to build the wheel offline")
    source, out = tmp_path / "source", tmp_path / "dist"
    source.mkdir()
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=SKIPPED)
        else:
            shutil.copy2(ROOT / name, source / name)
    command = [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps"]
    command += ["--no-build-isolation", "--no-index", "--wheel-dir", str(out)]
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = out.glob("camp-*.whl")
    return zipfile.ZipFile(wheel)


def _files(folder: Path) -> list[Path]:
    """The files under ``folder`` a build ships (globs skip dotfiles; no bytecode)."""
    return sorted(
        path.relative_to(folder)
        for path in folder.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") or part == "__pycache__" for part in path.parts)
        and path.suffix not in {".pyc", ".pyo"}
    )


def test_the_wheel_ships_templates_migrations_and_lesson_modules(tmp_path: Path) -> None:
    with _build_wheel(tmp_path) as wheel:
        names = set(wheel.namelist())
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        entry_points = wheel.read(entry_points).decode()

    for folder in FOLDERS:
        expected = {f"camp/_bundled/{folder}/{path.as_posix()}" for path in _files(ROOT / folder)}
        assert expected, folder
        assert expected <= names, f"{folder}/ files missing: {sorted(expected - names)}"
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]

    migrations = "camp/_bundled/migrations/"
    for name in ("env.py", "alembic.ini", "script.py.mako"):
        assert migrations + name in names
    versions = sorted((ROOT / "migrations" / "versions").glob("*.py"))
    assert versions
    assert {f"{migrations}versions/{path.name}" for path in versions} <= names

    modules = sorted(path for path in (ROOT / "quizzes").iterdir() if path.is_dir())
    assert len(modules) == 7
    for module in modules:
        for name in ("lesson.md", "questions.gift"):
            assert f"camp/_bundled/quizzes/{module.name}/{name}" in names

    # The code still ships whole: every module, the static files and the `camp` command.
    code = {
        f"camp/{path.as_posix()}"
        for path in _files(ROOT / "camp")
        if path.suffix == ".py" or path.parts[0] == "static"
    }
    assert code <= names, f"camp/ files missing: {sorted(code - names)}"
    assert "camp = camp.cli:main" in entry_points
