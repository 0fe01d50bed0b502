"""bank: a category's Moodle info and idnumber; a version's extras

Revision ID: f47ce4e26922
Revises: 838085fa90ce
Create Date: 2026-12-04 16:37:18.714480

Moodle XML import and export: a question category's description (`info`, in `info_format`)
and id number (unique when set), and what a question version keeps beyond its type's spec
(`extras`: feedback by outcome, hints, grades; see camp.bank.extras). Existing rows get the
empty values: no info, no idnumber, no extras.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f47ce4e26922'
down_revision = '838085fa90ce'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('info', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('info_format', sa.String(length=16), server_default='moodle', nullable=False))
        batch_op.add_column(sa.Column('idnumber', sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_categories_idnumber'), ['idnumber'])

    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extras', sa.JSON(), server_default='{}', nullable=False))


def downgrade():
    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.drop_column('extras')

    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_categories_idnumber'), type_='unique')
        batch_op.drop_column('idnumber')
        batch_op.drop_column('info_format')
        batch_op.drop_column('info')
