"""The store's tables (SQLAlchemy 2). Alembic migrations in ``migrations/`` create them.

Masked text lives in ``questions``; raw text and contact fields live apart in
``question_private`` so that analysts' queries never touch them by accident. Text columns use
the types of ``veche.store.types``: the same value is stored on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from veche.store.types import CleanJSON, LongText, ShortText


class Base(DeclarativeBase):
    pass


class IngestRun(Base):
    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(ShortText(16))  # running | done | failed
    files: Mapped[list] = mapped_column(CleanJSON)
    n_read: Mapped[int] = mapped_column(Integer, default=0)
    n_stored: Mapped[int] = mapped_column(Integer, default=0)
    n_already: Mapped[int] = mapped_column(Integer, default=0)
    n_rejected: Mapped[int] = mapped_column(Integer, default=0)


class Question(Base):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # idempotency key: hash of (source id or file+row) and the raw text
    key: Mapped[str] = mapped_column(ShortText(40), unique=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ingest_runs.id"))
    source_file: Mapped[str] = mapped_column(ShortText(512))
    source_row: Mapped[int] = mapped_column(Integer)
    external_id: Mapped[str | None] = mapped_column(ShortText(128))
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    channel: Mapped[str] = mapped_column(ShortText(64), index=True)
    region: Mapped[str | None] = mapped_column(ShortText(128))
    gender: Mapped[str | None] = mapped_column(ShortText(1))
    age: Mapped[int | None] = mapped_column(Integer)
    lang: Mapped[str] = mapped_column(ShortText(8))
    text: Mapped[str] = mapped_column(LongText)  # masked: what every analyst sees
    pii_types: Mapped[str] = mapped_column(ShortText(128), default="")
    lemmas: Mapped[str] = mapped_column(LongText, default="")
    content_hash: Mapped[str] = mapped_column(ShortText(32), index=True)
    meta: Mapped[dict] = mapped_column(CleanJSON, default=dict)
    group_id: Mapped[int | None] = mapped_column(Integer)
    group_similarity: Mapped[float | None] = mapped_column(Float)


class QuestionPrivate(Base):
    """Raw text and contact details: only for roles allowed to see them (views are logged)."""

    __tablename__ = "question_private"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    text_raw: Mapped[str] = mapped_column(LongText)
    name: Mapped[str | None] = mapped_column(ShortText(256))
    phone: Mapped[str | None] = mapped_column(ShortText(64))
    email: Mapped[str | None] = mapped_column(ShortText(256))
    # the extra columns as the file had them (``questions.meta`` holds them masked)
    meta_raw: Mapped[dict | None] = mapped_column(CleanJSON)


class DupGroup(Base):
    """A group of exact or near duplicates; ``id`` is the smallest question id in the group."""

    __tablename__ = "dup_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    size: Mapped[int] = mapped_column(Integer, index=True)
    n_senders: Mapped[int] = mapped_column(Integer)
    n_regions: Mapped[int] = mapped_column(Integer)
    n_channels: Mapped[int] = mapped_column(Integer)
    first_seen: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    peak_share: Mapped[float] = mapped_column(Float)
    mean_similarity: Mapped[float] = mapped_column(Float)
    campaign_score: Mapped[float] = mapped_column(Float)
    is_campaign: Mapped[bool] = mapped_column(Boolean, index=True)
    reason: Mapped[str] = mapped_column(ShortText(512), default="")


class Reject(Base):
    __tablename__ = "rejects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # one row per (file, row): a rerun does not repeat it
    key: Mapped[str] = mapped_column(ShortText(40), unique=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ingest_runs.id"))
    source_file: Mapped[str] = mapped_column(ShortText(512))
    source_row: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(ShortText(512))
    excerpt: Mapped[str] = mapped_column(LongText, default="")  # masked, truncated


class RawAccess(Base):
    """Every view of raw text: who, when, what. Append-only: triggers (migration 0003) refuse
    UPDATE and DELETE on both SQLite and PostgreSQL."""

    __tablename__ = "raw_access_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(ShortText(128))
    role: Mapped[str] = mapped_column(ShortText(64))
    action: Mapped[str] = mapped_column(ShortText(64))
    detail: Mapped[str] = mapped_column(LongText, default="")
    n_rows: Mapped[int] = mapped_column(Integer, default=0)


class OperatorKey(Base):
    """Who may see raw data from the command line: a name, a role and the SHA-256 of a random key
    the operator holds (``veche operator-key``); the key itself is never stored."""

    __tablename__ = "operator_keys"

    name: Mapped[str] = mapped_column(ShortText(128), primary_key=True)
    role: Mapped[str] = mapped_column(ShortText(64))
    key_hash: Mapped[str] = mapped_column(ShortText(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AnalysisRun(Base):
    """One ``veche analyze`` run: which encoder, how many questions it touched."""

    __tablename__ = "analysis_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(ShortText(16))  # running | done | failed
    encoder: Mapped[str] = mapped_column(ShortText(64))
    n_new: Mapped[int] = mapped_column(Integer, default=0)
    n_total: Mapped[int] = mapped_column(Integer, default=0)
    themes_rebuilt: Mapped[bool] = mapped_column(Boolean, default=False)


class Analysis(Base):
    """What the understanding stages found for one question (one row per analysed question)."""

    __tablename__ = "analysis"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    run_id: Mapped[int] = mapped_column(ForeignKey("analysis_runs.id"))
    # themes: fine (specific issue) and broad; distance to the fine theme's centre
    theme_id: Mapped[int | None] = mapped_column(Integer, index=True)
    broad_id: Mapped[int | None] = mapped_column(Integer, index=True)
    theme_distance: Mapped[float | None] = mapped_column(Float)
    is_other: Mapped[bool] = mapped_column(Boolean, default=False)
    # taxonomy: top category and every category above threshold, [[id, probability], ...]
    topic: Mapped[str | None] = mapped_column(ShortText(64), index=True)
    topic_score: Mapped[float | None] = mapped_column(Float)
    topics: Mapped[list] = mapped_column(CleanJSON, default=list)
    # routing: top responsible body and the top 3, [[body, score], ...]
    route: Mapped[str | None] = mapped_column(ShortText(256))
    route_score: Mapped[float | None] = mapped_column(Float)
    routes: Mapped[list] = mapped_column(CleanJSON, default=list)
    # location: ISO 3166-2 code, where it came from (meta | text), city/district if stated
    region_code: Mapped[str | None] = mapped_column(ShortText(16), index=True)
    region_source: Mapped[str] = mapped_column(ShortText(8), default="")
    city: Mapped[str | None] = mapped_column(ShortText(128))
    district: Mapped[str | None] = mapped_column(ShortText(128))
    # key concerns
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    urgency_kinds: Mapped[str] = mapped_column(ShortText(256), default="")
    urgency_score: Mapped[float] = mapped_column(Float, default=0.0)
    urgency_evidence: Mapped[str] = mapped_column(LongText, default="")


class Theme(Base):
    """A discovered theme; ``id`` stays the same across reruns while the theme persists.
    Broad themes and specific issues number separately: the key is (level, id)."""

    __tablename__ = "themes"

    level: Mapped[str] = mapped_column(ShortText(8), primary_key=True)  # broad | fine
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    parent_id: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(ShortText(512))
    terms: Mapped[list] = mapped_column(CleanJSON, default=list)
    central_question_id: Mapped[int | None] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer, default=0)
    run_id: Mapped[int] = mapped_column(ForeignKey("analysis_runs.id"))


class ShortlistItem(Base):
    """The questions that represent a theme for the host, in rank order."""

    __tablename__ = "shortlists"

    theme_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    rank: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    asked: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int] = mapped_column(ForeignKey("analysis_runs.id"))


Index("ix_questions_group_created", Question.group_id, Question.created_at)
