"""Time the cohort report, quiz statistics and learning-gain pages against a plain SQL
GROUP BY (the floor).

    python benchmarks/reports.py --students 1000

Builds a throwaway SQLite database (a temporary folder; `create_app` with a DATABASE_URL to
it, schema from the migrations): one cohort of N students, 20 module quizzes of 10
questions, 2 submitted attempts per student per quiz (N x 400 responses), and the cohort's
pre/post pair: two quizzes of 20 questions each (4 per module of the first 5, so 10
objectives; no question in common), the pre-test taken by 95 % of the students (a tenth of
them retaking it, which does not count), the post-test by 90 %, somewhat better (N x ~40
more responses). Questions, modules, quizzes and the pair go through the app's services and
models; students, attempts and responses are bulk-inserted through the models' tables with
the values the app writes (Attempt with its score, AttemptQuestion with response and
fraction). Then, in the same run, it times through the test client, logged in as the
cohort's organiser (median of --repeat runs, after one warm-up): the cohort report page,
the statistics page of one quiz, the learning-gain page (its 2,000-resample bootstrap
included) and its CSV, and the floor: one GROUP BY over every response joined to its
attempt; and counts each page's queries. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, select, text
from werkzeug.security import generate_password_hash

MODULES = 20
QUESTIONS = 10
ATTEMPTS = 2
GAIN_MODULES = 5  # the pre/post pair asks about the first five modules' objectives
GAIN_QUESTIONS = 4  # of each of those modules, on each test
OPTIONS = 4
START = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
# CROSS JOIN keeps SQLite's join order: every attempt, then its responses by the attempt_id
# index, grouped in a temporary B-tree: the plan this floor has always had. With a plain
# JOIN, statistics only slightly different (the pre/post responses, 10 % more) make the
# planner walk the question_version_id index instead, four times slower at 1,000 students:
# a floor that moves with the planner measures nothing.
FLOOR_SQL = text(
    "SELECT aq.question_version_id, SUM(aq.fraction), COUNT(aq.fraction) "
    "FROM attempts a CROSS JOIN attempt_questions aq ON a.id = aq.attempt_id "
    "WHERE a.state = 'submitted' GROUP BY aq.question_version_id"
)


def build(students: int, seed: int = 7) -> dict:
    from camp.accounts import services as accounts
    from camp.accounts.models import MemberRole, Membership, Role, User
    from camp.bank import services as bank
    from camp.bank.models import QuestionVersion
    from camp.extensions import db
    from camp.gain.pairs import pair_quizzes
    from camp.lessons.models import LessonRead, Module
    from camp.quizzes.models import Attempt, AttemptQuestion, Quiz, QuizSlot

    rng = random.Random(seed)
    organiser = accounts.create_user(
        email="organiser@example.org",
        display_name="Organiser",
        password="a long benchmark password",
        role=Role.ORGANISER,
    )
    cohort = accounts.create_cohort("Benchmark cohort", organiser=organiser)
    quizzes = []  # (quiz id, [(version id, correct option, difficulty)])
    for m in range(1, MODULES + 1):
        slug = f"m{m:02d}"
        category = bank.ensure_category(f"Modules/{slug}")
        module = Module(
            slug=slug,
            position=m,
            title=f"Module {m}",
            summary="",
            minutes=20,
            body="## Section\n",
            body_html='<h2 id="section">Section</h2>',
            toc=[{"level": 2, "text": "Section", "anchor": "section"}],
            objectives=[{"tag": f"{slug}-a", "text": "A"}, {"tag": f"{slug}-b", "text": "B"}],
            sources=[],
            category_id=category.id,
        )
        db.session.add(module)
        db.session.flush()
        questions = []
        for q in range(QUESTIONS):
            right = rng.randrange(OPTIONS)
            options = [
                {"text": f"Option {i}", "weight": 100 if i == right else 0, "feedback": ""}
                for i in range(OPTIONS)
            ]
            draft = bank.QuestionDraft(
                type="single_choice",
                text=f"Question {q} of module {m}",
                spec={"options": options},
                general_feedback="Lesson section: [Section](#section)",
                tags=(f"{slug}-{'ab'[q % 2]}",),
            )
            question = bank.create_question(draft, category=category, uid=f"{slug}-{q:02d}")
            questions.append(question)
        quiz = Quiz(
            title=f"Quiz {m}",
            module_id=module.id,
            attempts_allowed=3,
            pass_mark=70,
            shuffle_questions=False,
            shuffle_options=False,
        )
        quiz.slots = [
            QuizSlot(position=i, kind="fixed", question_id=q.id) for i, q in enumerate(questions, 1)
        ]
        db.session.add(quiz)
        db.session.flush()
        versions = [bank.current_version(q) for q in questions]
        quizzes.append(
            (
                quiz.id,
                module.id,
                [
                    (v.id, next(i for i, o in enumerate(v.spec["options"]) if o["weight"] == 100))
                    for v in versions
                ],
                [rng.gauss(0, 1) for _ in versions],
            )
        )
    # The pre/post pair: parallel forms from the first modules' questions (each module's
    # first GAIN_QUESTIONS questions on the pre-test, the next ones on the post-test).
    tests = []  # (quiz id, [(version id, correct option)], difficulties)
    question_of = {
        version_id: question_id
        for version_id, question_id in db.session.execute(
            select(QuestionVersion.id, QuestionVersion.question_id)
        )
    }
    for form, title in enumerate(("Pre-test", "Post-test")):
        chosen = [
            (module_quiz[2][i], module_quiz[3][i])
            for module_quiz in quizzes[:GAIN_MODULES]
            for i in range(form * GAIN_QUESTIONS, (form + 1) * GAIN_QUESTIONS)
        ]
        test = Quiz(title=title, attempts_allowed=2, pass_mark=0, shuffle_questions=False)
        test.slots = [
            QuizSlot(position=i, kind="fixed", question_id=question_of[version_id])
            for i, ((version_id, _right), _b) in enumerate(chosen, 1)
        ]
        db.session.add(test)
        db.session.flush()
        tests.append((test.id, [c[0] for c in chosen], [c[1] for c in chosen]))
    pre_test, post_test = (db.session.get(Quiz, t[0]) for t in tests)
    pair_quizzes(cohort, pre_test, post_test, organiser)
    db.session.commit()

    password_hash = generate_password_hash("not used", method="scrypt:1024:8:1")
    first_user = (db.session.scalar(text("SELECT MAX(id) FROM users")) or 0) + 1
    user_ids = list(range(first_user, first_user + students))
    now = datetime.now(UTC)
    db.session.execute(
        insert(User),
        [
            {
                "id": uid,
                "email": f"student{n}@example.org",
                "display_name": f"Student {n:05d}",
                "password_hash": password_hash,
                "role": Role.STUDENT,
                "active": True,
                "must_change_password": False,
                "created_at": now,
            }
            for n, uid in enumerate(user_ids)
        ],
    )
    db.session.execute(
        insert(Membership),
        [
            {"user_id": uid, "cohort_id": cohort.id, "role": MemberRole.STUDENT, "created_at": now}
            for uid in user_ids
        ],
    )
    reads = [
        {"user_id": uid, "module_id": module_id, "read_at": now}
        for uid in user_ids
        for _, module_id, _, _ in quizzes
        if rng.random() < 0.7
    ]
    db.session.execute(insert(LessonRead), reads)

    attempt_id = (db.session.scalar(text("SELECT MAX(id) FROM attempts")) or 0) + 1
    responses = 0
    attempt_rows: list[dict] = []
    question_rows: list[dict] = []

    def flush() -> None:
        if attempt_rows:
            db.session.execute(insert(Attempt), attempt_rows)
            db.session.execute(insert(AttemptQuestion), question_rows)
            attempt_rows.clear()
            question_rows.clear()

    def sit(
        draw: random.Random,
        uid: int,
        ability: float,
        quiz_id: int,
        number: int,
        day: int,
        versions: list,
        difficulty: list,
    ) -> None:
        """One submitted attempt, its answers drawn from `draw` (a 2PL model)."""
        nonlocal attempt_id, responses
        started = START + timedelta(days=day, minutes=draw.randrange(600))
        fractions = []
        for position, ((version_id, right), b) in enumerate(
            zip(versions, difficulty, strict=True), 1
        ):
            p = 1 / (1 + math.exp(-1.7 * (ability + 0.4 * (number - 1) - b)))
            wrong = [i for i in range(OPTIONS) if i != right]
            # One popular distractor, one plausible, one rarely chosen.
            chosen = right if draw.random() < p else draw.choices(wrong, (5, 3, 1))[0]
            fraction = 1.0 if chosen == right else 0.0
            fractions.append(fraction)
            question_rows.append(
                {
                    "attempt_id": attempt_id,
                    "position": position,
                    "question_version_id": version_id,
                    "option_order": list(range(OPTIONS)),
                    "response": {"selected": chosen},
                    "answered": True,
                    "saved_at": started + timedelta(minutes=position),
                    "fraction": fraction,
                }
            )
        responses += len(fractions)
        attempt_rows.append(
            {
                "id": attempt_id,
                "quiz_id": quiz_id,
                "user_id": uid,
                "number": number,
                "state": "submitted",
                "seed": f"{attempt_id:016x}",
                "started_at": started,
                "deadline": None,
                "submitted_at": started + timedelta(minutes=12),
                "auto_submitted": False,
                "score": sum(fractions) / len(fractions),
                "needs_grading": False,
            }
        )
        attempt_id += 1

    # The pre/post attempts draw from their own generator: the module quizzes' answers
    # are the same as before the pair was added, for the same seed.
    gain_rng = random.Random(seed + 1)
    (pre_id, pre_versions, pre_b), (post_id, post_versions, post_b) = tests
    learned = [b - 1.0 for b in post_b]  # what the camp taught: the post-test is easier
    for uid in user_ids:
        ability = rng.gauss(0.8, 1.0)
        for q_index, (quiz_id, _module_id, versions, difficulty) in enumerate(quizzes):
            for number in range(1, ATTEMPTS + 1):
                sit(rng, uid, ability, quiz_id, number, q_index * 2 + number, versions, difficulty)
        if gain_rng.random() < 0.95:
            sit(gain_rng, uid, ability, pre_id, 1, 0, pre_versions, pre_b)
            if gain_rng.random() < 0.1:  # a retake: it does not count
                sit(gain_rng, uid, ability, pre_id, 2, 1, pre_versions, pre_b)
        if gain_rng.random() < 0.9:
            sit(gain_rng, uid, ability, post_id, 1, MODULES * 2 + 1, post_versions, learned)
        if len(question_rows) >= 50_000:
            flush()
    flush()
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return {
        "organiser_id": organiser.id,
        "cohort_id": cohort.id,
        "quiz_id": quizzes[0][0],
        "responses": responses,
    }


def timed(fn, repeat: int) -> float:
    fn()  # warm-up
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="camp-bench-") as tmp:
        os.environ["DATABASE_URL"] = "sqlite:///" + str(Path(tmp) / "bench.sqlite3")
        os.environ["CAMP_INSTANCE_PATH"] = str(Path(tmp) / "instance")
        from flask_migrate import upgrade

        from camp import create_app
        from camp.accounts.models import session_token
        from camp.extensions import db

        app = create_app({"SECRET_KEY": "benchmark", "RATELIMIT_ENABLED": False})
        started = time.perf_counter()
        with app.app_context():
            upgrade()
            world = build(args.students)
            engine = db.engine
        print(
            f"built {args.students} students, {world['responses']} responses "
            f"in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )

        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = session_token(world["organiser_id"], 0)  # a new account
            session["_fresh"] = True
        report_url = f"/organiser/cohorts/{world['cohort_id']}/report"
        stats_url = f"/organiser/quizzes/{world['quiz_id']}/stats"
        gain_url = f"/organiser/cohorts/{world['cohort_id']}/gain"

        def get(url: str) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        def queries(url: str) -> int:
            count = 0

            def before(*_args: object) -> None:
                nonlocal count
                count += 1

            event.listen(engine, "before_cursor_execute", before)
            try:
                get(url)
            finally:
                event.remove(engine, "before_cursor_execute", before)
            return count

        def floor() -> None:
            with engine.connect() as conn:
                conn.execute(FLOOR_SQL).all()

        result = {
            "students": args.students,
            "responses": world["responses"],
            "report_ms": round(timed(lambda: get(report_url), args.repeat), 1),
            "stats_ms": round(timed(lambda: get(stats_url), args.repeat), 1),
            "gain_ms": round(timed(lambda: get(gain_url), args.repeat), 1),
            "gain_csv_ms": round(timed(lambda: get(gain_url + "?format=csv"), args.repeat), 1),
            "floor_ms": round(timed(floor, args.repeat), 1),
            "report_queries": queries(report_url),
            "stats_queries": queries(stats_url),
            "gain_queries": queries(gain_url),
            "gain_csv_queries": queries(gain_url + "?format=csv"),
        }
        engine.dispose()
    print(
        f"report {result['report_ms'] / result['floor_ms']:.2f} x floor, "
        f"stats {result['stats_ms'] / result['floor_ms']:.2f} x floor, "
        f"gain {result['gain_ms'] / result['floor_ms']:.2f} x floor"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
