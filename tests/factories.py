"""Small rows for store-level tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd


def question_batch(keys: list[str], text: str = "вопрос") -> pd.DataFrame:
    n = len(keys)
    return pd.DataFrame(
        {
            "key": keys,
            "source_file": "f.csv",
            "source_row": range(2, n + 2),
            "external_id": [None] * n,
            "created_at": [datetime(2025, 12, 5, tzinfo=UTC)] * n,
            "ingested_at": [datetime(2025, 12, 6, tzinfo=UTC)] * n,
            "channel": "sms",
            "region": [None] * n,
            "gender": [None] * n,
            "age": [None] * n,
            "lang": "ru",
            "text": f"{text} [ТЕЛЕФОН]",
            "pii_types": "PHONE",
            "lemmas": text,
            "content_hash": "h",
            "meta": [{"k": i} for i in range(n)],
            "group_id": [None] * n,
            "group_similarity": [None] * n,
            "text_raw": f"{text} 89123456789",
            "name": "Иванов Иван",
            "phone": "89123456789",
            "email": [None] * n,
        }
    )


def reject_rows(rows: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "key": [f"r{r}" for r in rows],
            "source_file": "f.csv",
            "source_row": rows,
            "reason": "empty text",
            "excerpt": "",
        }
    )
