"""Imports every model module so the metadata is complete (for Alembic and create_all in tests)."""

from camp.accounts.models import Cohort, Membership, User
from camp.audit.models import AuditEvent
from camp.bank.file_models import QuestionFile, StoredFile
from camp.bank.models import Category, Question, QuestionTag, QuestionVersion
from camp.bank.translation_models import QuestionTranslation
from camp.certificates.models import Certificate, CertificateRule
from camp.gain.models import PrePostPair
from camp.lessons.models import LessonRead, Module
from camp.lessons.translation_models import ModuleTranslation
from camp.live.board_models import BoardPost, BoardVote
from camp.live.models import LiveAnswer, LiveItem, LiveParticipant, LiveSession, LiveSessionCohort
from camp.quizzes.models import (
    Attempt,
    AttemptQuestion,
    GradeChange,
    Quiz,
    QuizOverride,
    QuizSlot,
    QuizWindow,
    ResponseLog,
)
from camp.review.models import ReviewCard, ReviewLog, ReviewSettings

__all__ = [
    "Attempt",
    "AttemptQuestion",
    "AuditEvent",
    "BoardPost",
    "BoardVote",
    "Category",
    "Certificate",
    "CertificateRule",
    "Cohort",
    "GradeChange",
    "LessonRead",
    "LiveAnswer",
    "LiveItem",
    "LiveParticipant",
    "LiveSession",
    "LiveSessionCohort",
    "Membership",
    "Module",
    "ModuleTranslation",
    "PrePostPair",
    "Question",
    "QuestionFile",
    "QuestionTag",
    "QuestionTranslation",
    "QuestionVersion",
    "Quiz",
    "QuizOverride",
    "QuizSlot",
    "QuizWindow",
    "ResponseLog",
    "ReviewCard",
    "ReviewLog",
    "ReviewSettings",
    "StoredFile",
    "User",
]
