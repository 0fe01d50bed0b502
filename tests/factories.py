"""Builders for test data, going through the same services the app uses."""

from __future__ import annotations

import itertools

from camp.accounts import services
from camp.accounts.models import Cohort, MemberRole, Role, User
from camp.bank import services as bank
from camp.bank.models import Question
from camp.bank.services import QuestionDraft
from camp.extensions import db
from camp.lessons.models import Module
from camp.quizzes.models import Quiz, QuizSlot

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


class Factories:
    @staticmethod
    def user(
        role: str = Role.STUDENT,
        *,
        email: str | None = None,
        name: str | None = None,
        password: str = PASSWORD,
        must_change_password: bool = False,
    ) -> User:
        n = next(_counter)
        user = services.create_user(
            email=email or f"{role}{n}@example.org",
            display_name=name or f"{role.title()} {n}",
            password=password,
            role=role,
            must_change_password=must_change_password,
        )
        db.session.commit()
        return user

    @staticmethod
    def cohort(name: str | None = None, *, organiser: User | None = None) -> Cohort:
        cohort = services.create_cohort(name or f"Cohort {next(_counter)}", organiser=organiser)
        db.session.commit()
        return cohort

    @staticmethod
    def member(cohort: Cohort, user: User, role: str = MemberRole.STUDENT) -> None:
        services.add_member(cohort, user, role=role)
        db.session.commit()

    @staticmethod
    def module(slug: str | None = None, *, title: str = "A module") -> Module:
        slug = slug or f"module-{next(_counter)}"
        category = bank.ensure_category(f"Modules/{slug}")
        module = Module(
            slug=slug,
            position=next(_counter),
            title=title,
            summary="What this module covers.",
            minutes=20,
            body="## Section\n\nText.",
            body_html='<h2 id="section">Section</h2><p>Text.</p>',
            toc=[{"level": 2, "text": "Section", "anchor": "section"}],
            objectives=[{"tag": "obj-a", "text": "Explain A."}],
            sources=["https://example.org/"],
            category_id=category.id,
        )
        db.session.add(module)
        db.session.commit()
        return module

    @staticmethod
    def choice_question(
        uid: str | None = None,
        *,
        category: str = "Bank",
        right: str = "Right",
        wrong: tuple[str, ...] = ("Wrong A", "Wrong B"),
        tags: tuple[str, ...] = (),
        text: str | None = None,
    ) -> Question:
        options = [{"text": right, "weight": 100, "feedback": f"Yes: {right} is right."}]
        options += [{"text": w, "weight": 0, "feedback": f"No: {w} is wrong."} for w in wrong]
        draft = QuestionDraft(
            type="single_choice",
            text=text or f"Pick {right}",
            spec={"options": options},
            general_feedback="General feedback.",
            tags=tags,
        )
        question = bank.create_question(
            draft, category=bank.ensure_category(category), uid=uid or f"q{next(_counter)}"
        )
        db.session.commit()
        return question

    @staticmethod
    def question(
        draft: QuestionDraft, *, uid: str | None = None, category: str = "Bank"
    ) -> Question:
        question = bank.create_question(
            draft, category=bank.ensure_category(category), uid=uid or f"q{next(_counter)}"
        )
        db.session.commit()
        return question

    @staticmethod
    def quiz(questions: list[Question] = (), **settings: object) -> Quiz:
        settings.setdefault("title", f"Quiz {next(_counter)}")
        settings.setdefault("shuffle_questions", False)
        settings.setdefault("shuffle_options", False)
        quiz = Quiz(**settings)
        for position, question in enumerate(questions, start=1):
            quiz.slots.append(QuizSlot(position=position, kind="fixed", question_id=question.id))
        db.session.add(quiz)
        db.session.commit()
        return quiz
