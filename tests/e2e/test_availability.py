"""Without Chromium or Playwright the browser tests are skipped with a message that says how
to install them (this module needs neither, so it runs everywhere)."""

from __future__ import annotations

from tests.e2e import availability


def test_without_chromium_the_reason_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("CAMP_E2E_CHROMIUM", str(tmp_path / "no-chromium-here"))
    problem = availability.browser_problem()
    assert problem is not None and problem.startswith("end-to-end tests need Chromium")
    assert "apt-get install chromium" in problem
    assert "pip install -e '.[e2e]'" in problem


def test_a_configured_chromium_is_used_when_it_exists(monkeypatch, tmp_path):
    browser = tmp_path / "chromium"
    browser.write_text("")
    monkeypatch.setenv("CAMP_E2E_CHROMIUM", str(browser))
    assert availability.chromium_path() == str(browser)
