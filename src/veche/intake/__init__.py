"""Intake: read question files, map columns, validate rows, name every reject."""

from veche.intake.readers import SUPPORTED, InputError, Record, read_records
from veche.intake.rows import BATCH_COLUMNS, REJECT_COLUMNS, ColumnError, ColumnMapper, RowValidator

__all__ = [
    "BATCH_COLUMNS",
    "REJECT_COLUMNS",
    "SUPPORTED",
    "ColumnError",
    "ColumnMapper",
    "InputError",
    "Record",
    "RowValidator",
    "read_records",
]
