"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 23:30:03.447017

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('areas',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('country', sa.String(length=20), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('name_cy', sa.String(length=120), nullable=False),
    sa.Column('police_force_code', sa.String(length=16), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['police_force_code'], ['areas.code'], name=op.f('fk_areas_police_force_code_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_areas')),
    sa.UniqueConstraint('code', name=op.f('uq_areas_code'))
    )
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_areas_rev'), ['rev'], unique=False)

    op.create_table('organisations',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_rev'), ['rev'], unique=False)

    op.create_table('revision_counter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revision_counter'))
    )
    # The single row that hands out server revisions (app/core/models.py).
    op.bulk_insert(sa.table('revision_counter', sa.column('id', sa.Integer), sa.column('value', sa.BigInteger)),
                   [{'id': 1, 'value': 0}])
    op.create_table('code_list_items',
    sa.Column('list_name', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('label_en', sa.String(length=200), nullable=False),
    sa.Column('label_cy', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_code_list_items_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code_list_items')),
    sa.UniqueConstraint('list_name', 'code', name=op.f('uq_code_list_items_list_name'))
    )
    with op.batch_alter_table('code_list_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_code_list_items_list_name'), ['list_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_code_list_items_rev'), ['rev'], unique=False)

    op.create_table('questionnaire_versions',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=True),
    sa.Column('definition', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_questionnaire_versions_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_versions')),
    sa.UniqueConstraint('key', 'version', name=op.f('uq_questionnaire_versions_key'))
    )
    with op.batch_alter_table('questionnaire_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questionnaire_versions_rev'), ['rev'], unique=False)

    op.create_table('teams',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_teams_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams'))
    )
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_teams_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_teams_rev'), ['rev'], unique=False)

    op.create_table('people',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('team_id', sa.Uuid(), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('worker', 'supervisor', 'admin', 'commissioner', name='role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('preferred_language', sa.String(length=2), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_people_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_people_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('email', name=op.f('uq_people_email'))
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_people_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_rev'), ['rev'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_team_id'), ['team_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('collection', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_audit_events_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_audit_events_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_record_id'), ['record_id'], unique=False)

    op.create_table('children',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('team_id', sa.Uuid(), nullable=False),
    sa.Column('assigned_worker_id', sa.Uuid(), nullable=True),
    sa.Column('given_name', sa.String(length=120), nullable=False),
    sa.Column('family_name', sa.String(length=120), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('preferred_language', sa.String(length=2), nullable=True),
    sa.Column('looked_after', sa.Boolean(), nullable=False),
    sa.Column('placing_authority_code', sa.String(length=16), nullable=True),
    sa.Column('host_authority_code', sa.String(length=16), nullable=True),
    sa.Column('residential_placement', sa.Boolean(), nullable=False),
    sa.Column('unaccompanied_asylum_seeking', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_worker_id'], ['people.id'], name=op.f('fk_children_assigned_worker_id_people')),
    sa.ForeignKeyConstraint(['host_authority_code'], ['areas.code'], name=op.f('fk_children_host_authority_code_areas')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_children_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['placing_authority_code'], ['areas.code'], name=op.f('fk_children_placing_authority_code_areas')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_children_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_children'))
    )
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_children_assigned_worker_id'), ['assigned_worker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_children_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_children_rev'), ['rev'], unique=False)
        batch_op.create_index(batch_op.f('ix_children_team_id'), ['team_id'], unique=False)

    op.create_table('sign_in_sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_sign_in_sessions_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_sessions'))
    )
    with op.batch_alter_table('sign_in_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_sessions_person_id'), ['person_id'], unique=False)

    op.create_table('missing_episodes',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('reported_missing_at', sa.DateTime(), nullable=False),
    sa.Column('returned_at', sa.DateTime(), nullable=True),
    sa.Column('return_method', sa.String(length=64), nullable=True),
    sa.Column('risk_grade', sa.String(length=64), nullable=True),
    sa.Column('reporting_force_code', sa.String(length=16), nullable=True),
    sa.Column('where_found', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('returned_at IS NULL OR returned_at >= reported_missing_at', name=op.f('ck_missing_episodes_return_after_report')),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_missing_episodes_child_id_children')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_missing_episodes_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['reporting_force_code'], ['areas.code'], name=op.f('fk_missing_episodes_reporting_force_code_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_missing_episodes'))
    )
    with op.batch_alter_table('missing_episodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_missing_episodes_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_missing_episodes_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_missing_episodes_rev'), ['rev'], unique=False)

    op.create_table('return_interviews',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('episode_id', sa.Uuid(), nullable=False),
    sa.Column('interviewer_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'submitted', 'returned', 'approved', name='interviewstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('questionnaire_version_id', sa.Uuid(), nullable=True),
    sa.Column('offered_at', sa.DateTime(), nullable=True),
    sa.Column('consent', sa.Enum('pending', 'accepted', 'declined', name='consent', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('consent_recorded_at', sa.DateTime(), nullable=True),
    sa.Column('declined_by', sa.String(length=64), nullable=True),
    sa.Column('decline_reason', sa.String(length=64), nullable=True),
    sa.Column('conducted_at', sa.DateTime(), nullable=True),
    sa.Column('location', sa.String(length=64), nullable=True),
    sa.Column('interviewer_type', sa.String(length=64), nullable=True),
    sa.Column('interviewer_organisation', sa.String(length=200), nullable=True),
    sa.Column('independent_of_police', sa.Boolean(), nullable=True),
    sa.Column('independent_of_local_authority', sa.Boolean(), nullable=True),
    sa.Column('independent_of_placement', sa.Boolean(), nullable=True),
    sa.Column('child_chose_known_adult', sa.Boolean(), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.Column('young_person_language', sa.String(length=2), nullable=True),
    sa.Column('duration_account', sa.Text(), nullable=True),
    sa.Column('why_missing', sa.Text(), nullable=True),
    sa.Column('what_happened', sa.Text(), nullable=True),
    sa.Column('where_and_with_whom', sa.Text(), nullable=True),
    sa.Column('feeling_before', sa.Text(), nullable=True),
    sa.Column('feeling_during', sa.Text(), nullable=True),
    sa.Column('feeling_after', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('local_answers', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['episode_id'], ['missing_episodes.id'], name=op.f('fk_return_interviews_episode_id_missing_episodes')),
    sa.ForeignKeyConstraint(['interviewer_id'], ['people.id'], name=op.f('fk_return_interviews_interviewer_id_people')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_return_interviews_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['questionnaire_version_id'], ['questionnaire_versions.id'], name=op.f('fk_return_interviews_questionnaire_version_id_questionnaire_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_interviews'))
    )
    with op.batch_alter_table('return_interviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_interviews_episode_id'), ['episode_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_interviews_interviewer_id'), ['interviewer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_interviews_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_interviews_rev'), ['rev'], unique=False)

    op.create_table('interview_attempts',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('interview_id', sa.Uuid(), nullable=False),
    sa.Column('attempted_at', sa.DateTime(), nullable=False),
    sa.Column('method', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=64), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['return_interviews.id'], name=op.f('fk_interview_attempts_interview_id_return_interviews')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_interview_attempts_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview_attempts'))
    )
    with op.batch_alter_table('interview_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_attempts_interview_id'), ['interview_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interview_attempts_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interview_attempts_rev'), ['rev'], unique=False)

    op.create_table('interview_codes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('interview_id', sa.Uuid(), nullable=False),
    sa.Column('list_name', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['return_interviews.id'], name=op.f('fk_interview_codes_interview_id_return_interviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview_codes')),
    sa.UniqueConstraint('interview_id', 'list_name', 'code', name=op.f('uq_interview_codes_interview_id'))
    )
    with op.batch_alter_table('interview_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_codes_interview_id'), ['interview_id'], unique=False)



def downgrade():
    with op.batch_alter_table('interview_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interview_codes_interview_id'))

    op.drop_table('interview_codes')
    with op.batch_alter_table('interview_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interview_attempts_rev'))
        batch_op.drop_index(batch_op.f('ix_interview_attempts_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_interview_attempts_interview_id'))

    op.drop_table('interview_attempts')
    with op.batch_alter_table('return_interviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_interviews_rev'))
        batch_op.drop_index(batch_op.f('ix_return_interviews_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_return_interviews_interviewer_id'))
        batch_op.drop_index(batch_op.f('ix_return_interviews_episode_id'))

    op.drop_table('return_interviews')
    with op.batch_alter_table('missing_episodes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_missing_episodes_rev'))
        batch_op.drop_index(batch_op.f('ix_missing_episodes_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_missing_episodes_child_id'))

    op.drop_table('missing_episodes')
    with op.batch_alter_table('sign_in_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_sessions_person_id'))

    op.drop_table('sign_in_sessions')
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_children_team_id'))
        batch_op.drop_index(batch_op.f('ix_children_rev'))
        batch_op.drop_index(batch_op.f('ix_children_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_children_assigned_worker_id'))

    op.drop_table('children')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_record_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_organisation_id'))

    op.drop_table('audit_events')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_team_id'))
        batch_op.drop_index(batch_op.f('ix_people_rev'))
        batch_op.drop_index(batch_op.f('ix_people_organisation_id'))

    op.drop_table('people')
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teams_rev'))
        batch_op.drop_index(batch_op.f('ix_teams_organisation_id'))

    op.drop_table('teams')
    with op.batch_alter_table('questionnaire_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questionnaire_versions_rev'))

    op.drop_table('questionnaire_versions')
    with op.batch_alter_table('code_list_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_code_list_items_rev'))
        batch_op.drop_index(batch_op.f('ix_code_list_items_list_name'))

    op.drop_table('code_list_items')
    op.drop_table('revision_counter')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_rev'))

    op.drop_table('organisations')
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_areas_rev'))

    op.drop_table('areas')
