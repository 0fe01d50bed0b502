"""What the journeys share: logging in, answering by role and label, following the keyboard
focus, the accessibility audit (axe-core plus checks of our own) and the phone-size checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from tests.e2e.availability import INSTALL_HINT

pytest.importorskip("playwright.sync_api", reason=f"Playwright is missing: {INSTALL_HINT}")
pytest.importorskip(
    "axe_playwright_python", reason=f"axe-playwright-python is missing: {INSTALL_HINT}"
)

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

FAILING_IMPACTS = ("serious", "critical")
STUDENT_PASSWORD = "a-long-pass-2024"


def log_in(page: Page, email: str, password: str, audit: Audit | None = None) -> None:
    page.goto("/login")
    if audit is not None and page_key(page.url) not in audit.audited:
        audit.check(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out", exact=True)).to_be_visible()
    if audit is not None and page_key(page.url) not in audit.audited:
        audit.check(page)  # the home page of the role


def page_key(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# Every visible form control must have a name from a <label>, aria-label or aria-labelledby.
_UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => el.type !== 'hidden' && el.getClientRects().length > 0)
  .filter(el => !(el.labels && Array.from(el.labels).some(l => l.textContent.trim()))
             && !(el.getAttribute('aria-label') || '').trim()
             && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML.slice(0, 160))"""


@dataclass
class Finding:
    url: str
    rule: str
    impact: str
    help: str
    targets: list[str]

    def __str__(self) -> str:
        shown = ", ".join(self.targets[:5]) + (" …" if len(self.targets) > 5 else "")
        return f"{self.url}: [{self.impact}] {self.rule}: {self.help} ({shown})"


@dataclass
class Audit:
    """axe-core on every page a journey visits; serious and critical findings fail the test.

    `watch` records every page a tab navigates to, so a journey that forgets to check a page
    it visited fails too.
    """

    findings: list[Finding] = field(default_factory=list)
    minor: list[Finding] = field(default_factory=list)
    visited: dict[str, str] = field(default_factory=dict)
    audited: set[str] = field(default_factory=set)
    reported: bool = False
    axe: Axe = field(default_factory=Axe)

    def watch(self, page: Page) -> None:
        def navigated(frame: object) -> None:
            if frame == page.main_frame and frame.url.startswith("http"):
                self.visited.setdefault(page_key(frame.url), frame.url)

        page.on("framenavigated", navigated)

    def check(self, page: Page) -> None:
        page.wait_for_load_state("load")
        url = page.url
        results = self.axe.run(page)
        for violation in results.response["violations"]:
            finding = Finding(
                url=page_key(url),
                rule=violation["id"],
                impact=violation["impact"] or "unknown",
                help=violation["help"],
                targets=[" ".join(map(str, node["target"])) for node in violation["nodes"]],
            )
            (self.findings if finding.impact in FAILING_IMPACTS else self.minor).append(finding)
        for control in page.evaluate(_UNLABELLED):
            self.findings.append(
                Finding(page_key(url), "camp-label", "serious", "control has no label", [control])
            )
        self.audited.add(page_key(url))

    def report(self) -> str:
        lines = [str(f) for f in self.findings]
        unaudited = sorted(set(self.visited) - self.audited)
        lines += [f"{key}: visited but never audited" for key in unaudited]
        return "\n".join(lines)

    def assert_clean(self) -> None:
        self.reported = True
        report = self.report()
        assert not report, (
            "accessibility problems (axe serious/critical and Camp's own):\n" + report
        )


def focused(page: Page) -> dict[str, str]:
    """The focused element as a keyboard user meets it: its kind and its name."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const label = el.getAttribute('aria-label')
            || (el.labels && el.labels.length ? el.labels[0].textContent : '')
            || el.textContent || '';
          return {tag: el.tagName.toLowerCase(), type: el.type || '',
                  name: label.replace(/\\s+/g, ' ').trim(),
                  inQuestion: !!el.closest('fieldset')};
        }"""
    )


def assert_focus_visible(page: Page) -> None:
    """The focused control shows an outline (or a ring drawn with box-shadow)."""
    style = page.evaluate(
        """() => {
          const el = document.activeElement;
          const s = getComputedStyle(el);
          return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0,
                  shadow: s.boxShadow, what: el.outerHTML.slice(0, 120)};
        }"""
    )
    visible = (style["outline"] != "none" and style["width"] >= 2) or style["shadow"] != "none"
    assert visible, f"no visible focus on {style['what']}: {style}"


def tab_to(page: Page, name: str | re.Pattern[str], limit: int = 60) -> None:
    """Press Tab until the control called `name` has the focus; every stop shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert_focus_visible(page)
        current = focused(page)["name"]
        if name.search(current) if isinstance(name, re.Pattern) else current == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def start_quiz(page: Page, quiz_id: int, audit: Audit) -> Locator:
    """From the quiz's page (audited), by keyboard: start an attempt; its first question."""
    page.goto(f"/quizzes/{quiz_id}")
    audit.check(page)
    tab_to(page, "Start the quiz")
    page.keyboard.press("Enter")
    group = questions(page)
    expect(group).to_have_accessible_name(re.compile(r"^Question 1\b"))
    return group


def save_and_submit(page: Page, audit: Audit) -> None:
    """By keyboard from a quiz page: save, on the check page (audited) submit all, and arrive
    at the review of the first attempt."""
    tab_to(page, re.compile(r"^Save and"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Check your answers before you submit")).to_be_visible()
    audit.check(page)
    tab_to(page, "Submit all and finish")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Review of attempt 1")).to_be_visible()


def answer_question(group: Locator, text: str = "20") -> None:
    """Answer one question (a fieldset named by its legend) the way a person would."""
    kinds = {
        "radio": group.get_by_role("radio"),
        "checkbox": group.get_by_role("checkbox"),
        "combobox": group.get_by_role("combobox"),
        "textbox": group.get_by_role("textbox"),
    }
    if kinds["radio"].count():
        kinds["radio"].first.check()
    elif kinds["checkbox"].count():
        kinds["checkbox"].first.check()
    elif kinds["combobox"].count():
        for index in range(kinds["combobox"].count()):
            kinds["combobox"].nth(index).select_option(index=1)
    elif kinds["textbox"].count():
        kinds["textbox"].first.fill(text)
    else:
        raise AssertionError("a question with nothing to answer")


def assert_real_form_controls(group: Locator) -> None:
    """A question is a <fieldset> named by its <legend>, and its options are native radio
    buttons or checkboxes (never elements dressed up with role="radio")."""
    shape = group.evaluate(
        """fs => ({
          tag: fs.tagName.toLowerCase(),
          legend: fs.firstElementChild && fs.firstElementChild.tagName.toLowerCase(),
          imitations: fs.querySelectorAll('[role=radio]:not(input), [role=checkbox]:not(input)')
            .length,
          options: fs.querySelectorAll('input[type=radio], input[type=checkbox]').length,
        })"""
    )
    assert shape["tag"] == "fieldset" and shape["legend"] == "legend", shape
    assert shape["imitations"] == 0, shape


def questions(page: Page) -> Locator:
    """The question fieldsets of an attempt page: groups named "Question N …" (in Chinese,
    "第N题 …")."""
    return page.get_by_role("group", name=re.compile(r"^(Question \d+\b|第\d+题)"))


# Phones ---------------------------------------------------------------------------------

HORIZONTAL_OVERFLOW = """() => ({
  scrollWidth: document.documentElement.scrollWidth,
  clientWidth: document.documentElement.clientWidth,
  // Past the right edge; absolutely positioned ones first (they escape scroll boxes).
  beyond: Array.from(document.querySelectorAll('body *'))
    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .sort((a, b) => (getComputedStyle(b).position === 'absolute')
                  - (getComputedStyle(a).position === 'absolute'))
    .slice(0, 5).map(el => el.outerHTML.slice(0, 120)),
})"""

# Interactive controls smaller than 44 x 44 CSS px. A radio button or checkbox is measured by
# its label (the label is what a finger taps). A link counts as inline, and is exempt as
# WCAG 2.5.5 allows, when it is laid out inline and sits in running text: its nearest block
# holds words besides link texts and separators.
SMALL_TAP_TARGETS = """() => {
  const small = [];
  const visible = el => {
    const r = el.getBoundingClientRect();
    return el.checkVisibility({visibilityProperty: true}) && r.width > 1 && r.right > 0;
  };
  const inRunningText = a => {
    if (getComputedStyle(a).display !== 'inline') return false;
    let block = a.parentElement;
    while (block && getComputedStyle(block).display === 'inline') block = block.parentElement;
    if (!block) return false;
    let rest = block.textContent;
    for (const link of block.querySelectorAll('a')) rest = rest.replace(link.textContent, '');
    return /[\\p{L}\\p{N}]/u.test(rest);
  };
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
    if (el.type === 'hidden') continue;
    const box = el.matches('input[type=radio], input[type=checkbox]');
    const target = box && el.labels && el.labels.length ? el.labels[0] : el;
    if (!visible(target) || (el.matches('a') && inRunningText(el))) continue;
    const r = target.getBoundingClientRect();
    if (r.width < 44 || r.height < 44) {
      const size = `${Math.round(r.width)}x${Math.round(r.height)}`;
      small.push(`${size} ${target.outerHTML.slice(0, 140)}`);
    }
  }
  return small;
}"""


def assert_fits_a_phone(page: Page) -> None:
    overflow = page.evaluate(HORIZONTAL_OVERFLOW)
    assert overflow["scrollWidth"] <= overflow["clientWidth"], (
        f"{page_key(page.url)} scrolls sideways: {overflow}"
    )
    small = page.evaluate(SMALL_TAP_TARGETS)
    assert not small, f"{page_key(page.url)}: tap targets under 44 x 44 px:\n" + "\n".join(small)
