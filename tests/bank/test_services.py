"""Bank services: categories, versions that never change, tags, retiring."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from camp.bank import services
from camp.bank.models import Category, ImmutableVersionError, QuestionVersion
from camp.bank.services import BankError, QuestionDraft
from camp.extensions import db


def choice_draft(text="Which right protects a logo?", right="A trademark", tags=("ip-kinds",)):
    return QuestionDraft(
        type="single_choice",
        text=text,
        spec={
            "options": [
                {"text": right, "weight": 100, "feedback": "Yes."},
                {"text": "A patent", "weight": 0, "feedback": "Patents protect inventions."},
            ]
        },
        tags=tuple(tags),
    )


def test_categories_form_a_tree_from_a_path(app):
    leaf = services.ensure_category("top/Module 1/ Kinds ")
    db.session.commit()
    paths = db.session.scalars(select(Category.path).order_by(Category.path)).all()
    assert paths == ["top", "top/Module 1", "top/Module 1/Kinds"]
    assert leaf.parent.parent.path == "top"
    assert services.ensure_category("top/Module 1/Kinds").id == leaf.id


def test_editing_adds_a_version_and_keeps_the_old_one_unchanged(app, make):
    author = make.user("organiser")
    category = services.ensure_category("Bank")
    question = services.create_question(choice_draft(), category=category, uid="ipv-01")
    db.session.commit()
    first = services.current_version(question)
    new = services.revise_question(
        question, choice_draft(right="A registered trademark"), author=author
    )
    db.session.commit()
    assert new.number == 2 and question.version_count == 2
    assert services.current_version(question).id == new.id
    db.session.expire_all()
    old = db.session.get(QuestionVersion, first.id)
    assert old.spec["options"][0]["text"] == "A trademark"
    assert new.created_by_id == author.id


def test_saving_without_changes_adds_no_version_but_updates_tags(app):
    question = services.create_question(
        choice_draft(), category=services.ensure_category("Bank"), uid="ipv-01"
    )
    assert services.revise_question(question, choice_draft(tags=("ip-kinds", "logos"))) is None
    assert question.version_count == 1
    assert question.tag_names == ["ip-kinds", "logos"]


def test_a_written_version_cannot_be_changed_or_deleted(app):
    question = services.create_question(
        choice_draft(), category=services.ensure_category("Bank"), uid="ipv-01"
    )
    db.session.commit()
    version = services.current_version(question)
    version.text = "sneaky edit"
    with pytest.raises(ImmutableVersionError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(services.current_version(question))
    with pytest.raises(ImmutableVersionError):
        db.session.flush()
    db.session.rollback()


def test_invalid_drafts_are_refused_with_a_teacher_readable_reason(app):
    bad = QuestionDraft(type="single_choice", text="Pick", spec={"options": []})
    with pytest.raises(BankError) as error:
        services.create_question(bad, category=services.ensure_category("Bank"))
    assert "option" in str(error.value).lower()
    assert QuestionDraft(type="nonsense", text="x", spec={}).problems() == [
        "Unknown question type 'nonsense'."
    ]


def test_ids_are_unique_and_generated_when_missing(app):
    category = services.ensure_category("Bank")
    generated = services.create_question(choice_draft(), category=category)
    assert generated.uid.startswith("q-")
    services.create_question(choice_draft(), category=category, uid="ipv-01")
    with pytest.raises(BankError, match="already exists"):
        services.create_question(choice_draft(), category=category, uid="ipv-01")


def test_retire_and_restore(app):
    question = services.create_question(
        choice_draft(), category=services.ensure_category("Bank"), uid="ipv-01"
    )
    services.set_retired(question, True)
    assert question.retired
    services.set_retired(question, False)
    assert not question.retired
