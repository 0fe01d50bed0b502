"""Ship the top-level templates/, migrations/ and quizzes/ folders inside the wheel.

Everything else about the package is in pyproject.toml. It cannot say "the packages found
under camp/, plus these three folders mapped into it", so that list is made here. With
setuptools' ``package_dir`` the folders become the packages ``camp._bundled.templates``,
``camp._bundled.migrations`` and ``camp._bundled.quizzes`` of a wheel, while they stay
where they are in the source tree; ``[tool.setuptools.package-data]`` in pyproject.toml
says which of their files to copy, and camp/paths.py finds the copy, or the top-level
folder in a checkout and an editable install.
"""

from setuptools import find_namespace_packages, setup

BUNDLED = {f"camp._bundled.{folder}": folder for folder in ("templates", "migrations", "quizzes")}

setup(
    packages=[*find_namespace_packages(include=["camp*"]), *BUNDLED],
    package_dir=BUNDLED,
)
