"""question type ordering: the type_known CHECK accepts 'ordering'

Revision ID: 3f7a9c2e1b04
Revises: 6c81c1bc2d90
Create Date: 2026-12-10 10:00:00.000000

Written by hand: autogenerate cannot see CHECK constraints. The constraint's name in the
database is the naming convention's (camp.db.NAMING_CONVENTION): ck_question_versions_type_known.
SQLite rebuilds the table (batch mode); PostgreSQL drops and adds the constraint.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3f7a9c2e1b04'
down_revision = '6c81c1bc2d90'
branch_labels = None
depends_on = None

OLD_TYPES = (
    'single_choice', 'multiple_choice', 'true_false', 'short_answer', 'numerical', 'matching',
    'essay', 'description',
)
NEW_TYPES = (
    'single_choice', 'multiple_choice', 'true_false', 'short_answer', 'numerical', 'matching',
    'ordering', 'essay', 'description',
)


def _type_known(types):
    with op.batch_alter_table('question_versions', recreate='auto') as batch_op:
        batch_op.drop_constraint(op.f('ck_question_versions_type_known'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_question_versions_type_known'),
            "type IN (" + ", ".join(f"'{name}'" for name in types) + ")",
        )


def upgrade():
    _type_known(NEW_TYPES)


def downgrade():
    # Refused by the database while a version of an ordering question is stored.
    _type_known(OLD_TYPES)
