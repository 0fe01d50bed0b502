"""Screenshots of Camp's main pages for the README, taken from the real server.

    python scripts/screenshots.py [--out docs/screenshots]

Starts `camp up` on a throwaway database (demo data: an organiser, three students), lets the
students read lessons and take quizzes in Chromium, then saves PNGs of the lesson page, the
quiz page (laptop and phone), the progress page (laptop and phone) and the organiser's
cohort report, and the quiz page and cohort report in Chinese.
Needs Debian's Chromium and the test and e2e extras:
`apt-get install chromium && pip install -e '.[test,e2e]'`.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.availability import BROWSER_ARGS, browser_problem, chromium_path  # noqa: E402
from tests.support.server import CampServer  # noqa: E402

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SAVE = re.compile(r"^Save and (next|review answers)$")


class Tutor:
    """Knows the answer key (read from the database) and answers right with some probability,
    so the reports show a believable spread of scores."""

    def __init__(self, database_url: str, instance: Path) -> None:
        from tests.conftest import make_app

        self.app = make_app(database_url, instance)

    def key(self, attempt_id: int, position: int) -> tuple[str, Any]:
        from camp.extensions import db
        from camp.quizzes import attempts
        from camp.quizzes.models import Attempt
        from camp.quizzes.paper import option_token

        with self.app.app_context():
            seed = db.session.get(Attempt, attempt_id).seed
            [row] = attempts.paper_rows(attempt_id, [position])
            kind, spec = row.version.type, row.version.spec
            db.session.remove()
        if kind in ("single_choice", "multiple_choice"):
            best = max(option["weight"] for option in spec["options"])
            wanted = (lambda w: w == best) if kind == "single_choice" else (lambda w: w > 0)
            tokens = [
                option_token(seed, position, index)
                for index, option in enumerate(spec["options"])
                if wanted(option["weight"])
            ]
            return "tokens", tokens
        if kind == "true_false":
            return "value", "true" if spec["answer"] else "false"
        if kind == "matching":
            return "pairs", {p["left"]: p["right"] for p in spec["pairs"] if p["left"].strip()}
        if kind == "short_answer":
            best = max(spec["answers"], key=lambda a: a["weight"])
            return "text", best["text"].replace("*", "")
        if kind == "numerical":
            best = max(spec["answers"], key=lambda a: a["weight"])
            value = best.get("value", best.get("min", 0))
            return "text", f"{value:g}"
        return "text", "I would explain it with an example from the lesson."


def answer(page: Any, tutor: Tutor, rng: random.Random, skill: float) -> None:
    """Answer every question on the current attempt page, right with probability `skill`."""
    attempt_id = int(re.search(r"/attempts/(\d+)", page.url).group(1))
    groups = page.get_by_role("group", name=re.compile(r"^Question \d+\b"))
    for index in range(groups.count()):
        group = groups.nth(index)
        legend = group.locator("legend").inner_text()
        position = int(re.match(r"Question (\d+)", legend).group(1))
        kind, key = tutor.key(attempt_id, position)
        right = rng.random() < skill
        if kind == "tokens":
            options = group.locator("input")
            values = [options.nth(i).get_attribute("value") for i in range(options.count())]
            chosen = key if right else [rng.choice([v for v in values if v not in key] or values)]
            for value in chosen:
                group.locator(f'input[value="{value}"]').check()
        elif kind == "value":
            wanted = key if right else ("false" if key == "true" else "true")
            group.locator(f'input[value="{wanted}"]').check()
        elif kind == "pairs":
            for stem, target in key.items():
                select = group.get_by_label(stem, exact=True)
                if right:
                    select.select_option(label=target)
                else:
                    select.select_option(index=rng.randint(1, select.locator("option").count() - 1))
        else:
            group.get_by_role("textbox").fill(key if right else "not sure")


def advance(page: Any) -> None:
    """Save this page of the attempt and wait for the next one (or the summary)."""
    before = page.url
    page.get_by_role("button", name=SAVE).click()
    page.wait_for_url(lambda url: url != before)
    page.wait_for_load_state()


def take_quiz(page: Any, tutor: Tutor, rng: random.Random, slug: str, skill: float) -> None:
    page.goto(f"/modules/{slug}")
    read = page.get_by_role("button", name="Mark as read")
    if read.count():
        read.click()
    page.goto(f"/modules/{slug}/quiz")
    page.get_by_role("button", name=re.compile(r"^(Start|Continue)")).click()
    page.wait_for_url(re.compile(r"/attempts/\d+"))
    while "/summary" not in page.url:
        answer(page, tutor, rng, skill)
        advance(page)
    page.get_by_role("button", name="Submit all and finish").click()
    page.get_by_role("heading", name=re.compile(r"^Review of attempt")).wait_for()


def log_in(page: Any, email: str, password: str) -> None:
    """Log in by the form's field ids, so it works in every language."""
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.locator("form[action$='/logout'] button").wait_for()


def demo_logins(server: CampServer) -> dict[str, tuple[str, str]]:
    """Each demo person's (email, password), by email."""
    deadline = time.monotonic() + 10
    while "join code" not in "".join(server.output) and time.monotonic() < deadline:
        time.sleep(0.05)
    logins = {}
    for line in server.output:
        match = re.match(r"\s+(\w+)\s+(\S+@\S+)\s+password: (\S+)", line)
        if match:
            logins[match.group(2)] = (match.group(2), match.group(3))
    return logins


def shoot(page: Any, path: Path, *, max_height: int | None = None) -> None:
    """The whole page, or its top `max_height` CSS pixels when it is longer."""
    page.wait_for_load_state("load")
    width = page.viewport_size["width"]
    height = page.evaluate("document.documentElement.scrollHeight")
    if max_height is not None:
        height = min(height, max_height)
    page.screenshot(
        path=str(path),
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": height},
        animations="disabled",
        caret="hide",
    )
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--seed", type=int, default=7, help="for the students' answers")
    args = parser.parse_args()
    problem = browser_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="camp-screenshots-") as tmp:
        server = CampServer(
            database_url=f"sqlite:///{tmp}/camp.sqlite3", instance_path=Path(tmp) / "instance"
        )
        server.start()
        try:
            logins = demo_logins(server)
            tutor = Tutor(server.database_url, Path(tmp) / "tutor")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium_path(), args=BROWSER_ARGS
                )

                def page_for(email: str, locale: str = "en-GB", **options: Any) -> Any:
                    options.setdefault("viewport", LAPTOP)
                    context = browser.new_context(base_url=server.url, locale=locale, **options)
                    page = context.new_page()
                    log_in(page, *logins[email])
                    return page

                # A little activity: two attempts, a spread of scores, lessons read.
                plan = {
                    "student2@example.org": [
                        ("why-ip-matters", 0.95),
                        ("wipo-and-the-global-ip-system", 0.8),
                    ],
                    "student3@example.org": [("why-ip-matters", 0.35)],
                    "student1@example.org": [
                        ("why-ip-matters", 0.45),
                        ("why-ip-matters", 0.9),
                        ("wipo-and-the-global-ip-system", 0.85),
                        ("innovation-trends", 0.6),
                    ],
                }
                for email, quizzes in plan.items():
                    page = page_for(email)
                    for slug, skill in quizzes:
                        take_quiz(page, tutor, rng, slug, skill)
                    page.context.close()

                # Li Wei's progress, a lesson, and a quiz part-way through.
                student = page_for("student1@example.org")
                student.goto("/progress")
                shoot(student, args.out / "student-progress.png", max_height=1150)
                student.goto("/modules/treaties-in-the-making")
                shoot(student, args.out / "student-lesson.png", max_height=LAPTOP["height"])
                # Before the attempt below: reports would show it as "awaiting grading".
                organiser = page_for("organiser@example.org")
                organiser.get_by_role("link", name="Demo cohort").click()
                organiser.get_by_role("link", name="Cohort report").click()
                shoot(organiser, args.out / "organiser-cohort-report.png", max_height=1000)
                student.goto("/modules/treaties-in-the-making/quiz")
                student.get_by_role("button", name="Start the quiz").click()
                student.wait_for_url(re.compile(r"/attempts/\d+"))
                for _ in range(2):
                    answer(student, tutor, rng, 0.9)
                    advance(student)
                answer(student, tutor, rng, 0.9)
                student.get_by_text(re.compile(r"^All answers saved at")).wait_for()
                shoot(student, args.out / "student-quiz.png")
                attempt_url = student.url

                phone = page_for(
                    "student1@example.org",
                    viewport=PHONE,
                    device_scale_factor=2,
                    is_mobile=True,
                    has_touch=True,
                )
                phone.goto(attempt_url)
                shoot(phone, args.out / "student-quiz-phone.png")
                phone.goto("/progress")  # the module table as one card per module
                shoot(phone, args.out / "student-progress-phone.png", max_height=1400)

                # The same in Chinese: browsers that ask for Chinese get it on first visit.
                organiser_zh = page_for("organiser@example.org", locale="zh-CN")
                organiser_zh.goto("/organiser/cohorts")
                organiser_zh.locator("main table a").first.click()
                organiser_zh.locator("a[href$='/report']").first.click()
                shoot(organiser_zh, args.out / "organiser-cohort-report-zh.png", max_height=1000)
                student_zh = page_for("student2@example.org", locale="zh-CN")
                student_zh.goto("/modules/treaties-in-the-making/quiz")
                student_zh.locator("form[data-start] button").click()
                student_zh.wait_for_url(re.compile(r"/attempts/\d+"))
                answer(student_zh, tutor, rng, 0.9)
                student_zh.wait_for_timeout(1500)  # the autosave's "saved" line
                shoot(student_zh, args.out / "student-quiz-zh.png")

                browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
