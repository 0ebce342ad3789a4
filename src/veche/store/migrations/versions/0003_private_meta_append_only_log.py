"""raw meta in the private table; operator keys; the raw-access log is append-only

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 20:20:00

``question_private.meta_raw`` keeps the extra columns as the file had them (``questions.meta`` is
masked from now on). ``raw_access_log`` refuses UPDATE and DELETE through triggers on both SQLite
and PostgreSQL, so no one can erase a trace of who saw raw data through veche or a plain SQL
session (only dropping the trigger, a schema change, can).
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

MESSAGE = "raw_access_log is append-only"


def upgrade() -> None:
    with op.batch_alter_table("question_private") as batch:
        batch.add_column(sa.Column("meta_raw", sa.JSON(), nullable=True))
    op.create_table(
        "operator_keys",
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=64), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
        sa.UniqueConstraint("key_hash"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION raw_access_log_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER raw_access_log_append_only BEFORE UPDATE OR DELETE ON raw_access_log "
            "FOR EACH ROW EXECUTE FUNCTION raw_access_log_append_only()"
        )
        # TRUNCATE skips row triggers: refuse it with a statement trigger
        op.execute(
            "CREATE TRIGGER raw_access_log_no_truncate BEFORE TRUNCATE ON raw_access_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION raw_access_log_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER raw_access_log_no_{verb.lower()} BEFORE {verb} ON raw_access_log "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER raw_access_log_no_truncate ON raw_access_log")
        op.execute("DROP TRIGGER raw_access_log_append_only ON raw_access_log")
        op.execute("DROP FUNCTION raw_access_log_append_only()")
    else:
        op.execute("DROP TRIGGER raw_access_log_no_update")
        op.execute("DROP TRIGGER raw_access_log_no_delete")
    op.drop_table("operator_keys")
    with op.batch_alter_table("question_private") as batch:
        batch.drop_column("meta_raw")
