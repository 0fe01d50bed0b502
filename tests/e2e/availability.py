"""Whether the browser tests can run here, how to make them, and how to launch Debian's
Chromium (no Playwright import, so it works where Playwright is missing)."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

INSTALL_HINT = "apt-get install chromium && pip install -e '.[e2e]'"
BROWSER_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium's own background connections are refused here and it stalls.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's Chromium (Playwright's own browser download needs internet access)."""
    configured = os.environ.get("CAMP_E2E_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a broken or blocked installation
        return False


def browser_problem() -> str | None:
    """None when the e2e tests can run; else what is missing and how to install it."""
    missing = [
        module for module in ("playwright", "axe_playwright_python") if not _installed(module)
    ]
    if chromium_path() is None:
        missing.insert(0, "Chromium")
    if not missing:
        return None
    return f"end-to-end tests need {' and '.join(missing)}; install with: {INSTALL_HINT}"
