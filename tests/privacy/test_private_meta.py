"""Personal data outside the text (issue 16 item 9): extra columns kept in ``meta``, reject
excerpts and database errors."""

from __future__ import annotations

import json
import traceback
from pathlib import Path

import pandas as pd
import pytest

from veche.config import VecheConfig
from veche.export import export
from veche.pipeline import ingest
from veche.privacy.access import add_operator
from veche.privacy.meta import private_column_type
from veche.store import Store
from veche.store.store import StoreWriteError

ROW = {
    "id": "1",
    "text": "Когда отремонтируют дорогу в посёлке?",
    "контактный телефон": "8 912 345-67-89",
    "адрес": "ул. Садовая, д. 3, кв. 7",
    "Заявитель": "петров иван сергеевич",
    "e-mail для ответа": "ivan.petrov@mail.ru",
    "Комментарий оператора": "перезвонить на 89051112233",
    "район": "Ленинский",
}
SECRETS = ["345-67-89", "Садовая", "петров", "ivan.petrov", "89051112233"]


@pytest.fixture
def ingested(config: VecheConfig, store: Store, tmp_path: Path) -> Store:
    path = tmp_path / "calls.csv"
    pd.DataFrame([ROW]).to_csv(path, index=False)
    ingest([path], config, store)
    assert store.count() == 1
    return store


def test_stored_meta_is_masked_and_raw_meta_is_private(ingested: Store) -> None:
    meta = ingested.read_questions(["meta"])["meta"].iloc[0]
    assert not [s for s in SECRETS if s in json.dumps(meta, ensure_ascii=False)]
    assert meta["контактный телефон"] == "[ТЕЛЕФОН]" and meta["адрес"] == "[АДРЕС]"
    assert meta["Заявитель"] == "[ИМЯ]" and meta["e-mail для ответа"] == "[EMAIL]"
    assert meta["Комментарий оператора"] == "перезвонить на [ТЕЛЕФОН]"
    assert meta["район"] == "Ленинский"  # context columns stay useful
    raw = ingested.read_private(ingested.read_questions(["id"])["id"].tolist())
    assert raw["meta_raw"].iloc[0]["Заявитель"] == "петров иван сергеевич"


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet", ".xlsx"])
def test_exports_do_not_show_personal_meta(ingested: Store, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"out{suffix}"
    export(ingested, out)
    data = out.read_bytes() if suffix != ".xlsx" else None
    if data is None:
        data = pd.read_excel(out).to_csv().encode()
    elif suffix == ".parquet":
        data = pd.read_parquet(out).to_csv().encode()
    text = data.decode("utf-8", "replace")
    assert "Ленинский" in text
    assert not [s for s in SECRETS if s in text]


def test_raw_export_has_the_raw_meta(ingested: Store, tmp_path: Path) -> None:
    key = add_operator(
        ingested, "olga", "privacy_officer", raw_roles=["privacy_officer"], by_key=None
    )
    out = tmp_path / "raw.jsonl"
    export(ingested, out, raw=True, operator_key=key, raw_roles=["privacy_officer"])
    rec = json.loads(out.read_text(encoding="utf-8"))
    assert rec["meta_raw"]["Заявитель"] == "петров иван сергеевич"
    assert rec["meta"]["Заявитель"] == "[ИМЯ]"


def test_old_stores_meta_is_masked_on_export(store: Store, tmp_path: Path) -> None:
    from factories import question_batch, reject_rows

    run = store.begin_run(["f.csv"])  # as ingest stored meta before it was masked
    store.write_batch(
        run,
        question_batch(["a"]).assign(meta=[{"Телефон заявителя": "89123456789"}]),
        reject_rows([]),
    )
    out = tmp_path / "out.csv"
    export(store, out)
    assert "89123456789" not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("column", "kind"),
    [
        ("контактный телефон", "PHONE"),
        ("Моб.", "PHONE"),
        ("ФИО заявителя", "PER"),
        ("Адрес проживания", "ADDRESS"),
        ("Адрес электронной почты", "EMAIL"),
        ("first_name", "PER"),
        ("СНИЛС", "SNILS"),
        ("район", None),
        ("region_name", None),
        ("Тема обращения", None),
        ("телевидение", None),
    ],
)
def test_private_column_names(column: str, kind: str | None) -> None:
    assert private_column_type(column) == kind


def test_reject_excerpts_leave_out_contact_columns(
    config: VecheConfig, store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(
        "id,text,name,phone,email,Контактный телефон,район\n"
        "1,,петров иван,8 912 345-67-89,ivan.petrov@mail.ru,89051112233,Ленинский\n",
        encoding="utf-8",
    )
    res = ingest([path], config, store)
    assert res.rejects_path is not None
    excerpt = pd.read_csv(res.rejects_path)["excerpt"].iloc[0]
    assert "Ленинский" in excerpt
    assert not [s for s in ["петров", "345-67-89", "ivan.petrov", "89051112233"] if s in excerpt]


def test_database_errors_do_not_print_row_values(store: Store) -> None:
    from factories import question_batch, reject_rows

    run = store.begin_run(["f.csv"])
    batch = question_batch(["a"]).assign(
        text_raw=[None], name="Иванов Секретный", phone="89991234567"
    )  # the private row breaks a NOT NULL constraint
    with pytest.raises(StoreWriteError) as caught:
        store.write_batch(run, batch, reject_rows([]))
    shown = "".join(traceback.format_exception(caught.value))
    assert "question_private" in shown or "text_raw" in shown
    assert "Иванов" not in shown and "89991234567" not in shown
    assert store.count() == 0  # nothing of the batch stored
