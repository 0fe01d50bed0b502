"""Demo data for a fresh installation: an admin, an organiser, a cohort and three students,
and a live session for the cohort, ready to present."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from camp.accounts import services
from camp.accounts.models import Cohort, Role, User
from camp.accounts.passwords import one_time_password
from camp.bank.models import Question, QuestionVersion
from camp.db import utcnow
from camp.extensions import db
from camp.lessons.models import Module
from camp.live import services as live
from camp.live import sources
from camp.live.plan import LIVE_TYPES, ItemDraft, LiveSettings
from camp.quizzes.models import Quiz

DEMO_COHORT = "Demo cohort"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    name: str
    email: str
    password: str


_PEOPLE = [
    (Role.ADMIN, "Camp Admin", "admin@example.org"),
    (Role.ORGANISER, "Olga Organiser", "organiser@example.org"),
    (Role.STUDENT, "Li Wei", "student1@example.org"),
    (Role.STUDENT, "Amina Diallo", "student2@example.org"),
    (Role.STUDENT, "Carlos Mendes", "student3@example.org"),
]


def database_has_users() -> bool:
    return bool(db.session.scalar(select(func.count(User.id))))


@dataclass(frozen=True)
class DemoData:
    logins: list[DemoLogin]
    join_code: str  # the cohort's, as shown (KMP-4RT)
    live_code: str | None  # the live session's, as shown; None without module content


def create_demo_data() -> DemoData:
    """Create the demo people, cohort and live session."""
    logins: list[DemoLogin] = []
    users: dict[str, User] = {}
    for role, name, email in _PEOPLE:
        password = one_time_password()
        users[email] = services.create_user(
            email=email, display_name=name, password=password, role=role
        )
        logins.append(DemoLogin(role=role, name=name, email=email, password=password))
    cohort = services.create_cohort(DEMO_COHORT, organiser=users["organiser@example.org"])
    for login in logins:
        if login.role == Role.STUDENT:
            services.add_member(cohort, users[login.email])
    live_code = _demo_live_session(users["organiser@example.org"], cohort)
    return DemoData(logins, services.format_join_code(cohort.join_code), live_code)


def _demo_live_session(organiser: User, cohort: Cohort) -> str | None:
    """A live session of the first module's questions a phone can answer, a poll and an
    open question, as an organiser might prepare for the hour after the talk."""
    quiz = db.session.scalar(
        select(Quiz).join(Module, Module.id == Quiz.module_id).order_by(Module.position).limit(1)
    )
    if quiz is None:
        return None
    suitable = set(
        db.session.scalars(
            select(QuestionVersion.question_id)
            .join(
                Question,
                (Question.id == QuestionVersion.question_id)
                & (QuestionVersion.number == Question.version_count),
            )
            .where(QuestionVersion.type.in_(LIVE_TYPES), Question.retired.is_(False))
        )
    )
    asked = [i for i in sources.from_quiz(quiz) if i in suitable][:DEMO_LIVE_QUESTIONS]
    items = [ItemDraft.question(question_id, time_limit_s=30) for question_id in asked]
    items.append(ItemDraft.poll(*_DEMO_POLL, time_limit_s=30))
    items.append(ItemDraft.open_text(_DEMO_OPEN, time_limit_s=60))
    session = live.create_session(
        organiser, "After the talk: a live check", [cohort], items, LiveSettings(), utcnow()
    )
    return live.format_code(session.code)


DEMO_LIVE_QUESTIONS = 5
_DEMO_POLL = (
    "Which part of the talk would you like to hear more about?",
    [
        "WIPO's services for SMEs",
        "The Global Innovation Index",
        "Careers in international organisations",
    ],
)
_DEMO_OPEN = "What would you ask a WIPO official?"
