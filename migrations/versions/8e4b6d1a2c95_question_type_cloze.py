"""question type cloze: embedded answers join the type names question versions may have

Revision ID: 8e4b6d1a2c95
Revises: 3f7a9c2e1b04
Create Date: 2026-12-03 21:30:00.000000

Autogenerate cannot see CHECK constraints, so this revision is written by hand: it recreates
`type_known` (ck_question_versions_type_known under the naming convention in camp.db) with
the registry's names, cloze among them; downgrade restores the list without it (and fails
while a cloze question is stored, as it should).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '8e4b6d1a2c95'
down_revision = '3f7a9c2e1b04'
branch_labels = None
depends_on = None

BEFORE = (
    'single_choice', 'multiple_choice', 'true_false', 'short_answer', 'numerical', 'matching',
    'ordering', 'essay', 'description',
)
AFTER = (
    'single_choice', 'multiple_choice', 'true_false', 'short_answer', 'numerical', 'matching',
    'ordering', 'cloze', 'essay', 'description',
)


def _type_known(names):
    # recreate='auto': SQLite cannot alter a CHECK, so the table is copied there.
    with op.batch_alter_table('question_versions', recreate='auto') as batch_op:
        batch_op.drop_constraint(op.f('ck_question_versions_type_known'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_question_versions_type_known'),
            'type IN ({})'.format(', '.join(f"'{name}'" for name in names)),
        )


def upgrade():
    _type_known(AFTER)


def downgrade():
    _type_known(BEFORE)
