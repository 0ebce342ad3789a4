"""The picture of the day as one self-contained HTML file with plotly charts.

The file works offline: plotly.js (the copy the installed ``plotly`` package ships) is embedded
once in the page head, and each chart is a ``<div>`` plus a small script calling
``Plotly.newPlot``. All text goes through Jinja2 autoescaping (question texts are user input);
the chart data are JSON that plotly writes with ``<``, ``>`` and ``/`` escaped.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.colors
import plotly.graph_objects as go
from jinja2 import Environment, PackageLoader
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from veche.report.labels import LEVELS_RU, QUESTION_FORMS, kind_names, plural_ru
from veche.report.picture import DayPicture, conform

MAX_URGENT_ROWS = 500  # the page lists this many; the XLSX and JSON files hold them all
URGENT_FIRST = 50  # shown at once; the rest behind "показать все"
TOP_TREND = 8  # themes on the trend chart
TOP_HEATMAP = 15  # themes on the regions heatmap
_CONFIG = {"displaylogo": False, "responsive": True}
# Blues without its near-white end: a cell with one question must not look like an empty one
BLUES_VISIBLE = plotly.colors.sequential.Blues[2:]


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("veche.report", "templates"),
        autoescape=True,  # every template here is HTML
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        num=fmt_num, pct=fmt_pct, growth=fmt_growth, dt=fmt_dt, kinds=fmt_kinds,
        count=fmt_count, noun=plural_ru,
    )  # fmt: skip
    return env


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT


def fmt_num(v: Any, digits: int = 0) -> str:
    """1234567 -> '1 234 567' (Russian grouping with a narrow no-break space)."""
    if _missing(v):
        return "—"
    return f"{float(v):,.{digits}f}".replace(",", "\u202f").replace(".", ",")


def fmt_pct(v: Any) -> str:
    return "—" if _missing(v) else fmt_num(100 * float(v), 1) + "\u00a0%"


def fmt_growth(v: Any) -> str:
    """count_day / count_prev as '×2,3'; '—' when there is nothing to compare with."""
    if _missing(v):
        return "—"
    if math.isinf(float(v)):
        return "новая"  # nothing on earlier days
    return "×" + fmt_num(v, 1)


def fmt_count(v: Any, forms: tuple[str, str, str] = QUESTION_FORMS) -> str:
    """84 -> '84 вопроса': the number and its noun in the right Russian form."""
    return "—" if _missing(v) else f"{fmt_num(v)}\u00a0{plural_ru(int(v), forms)}"


def fmt_dt(v: Any) -> str:
    if _missing(v):
        return "—"
    if isinstance(v, datetime):
        return v.strftime("%d.%m.%Y %H:%M")
    if isinstance(v, date):
        return v.strftime("%d.%m.%Y")
    return str(v)


def fmt_kinds(v: Any) -> str:
    return ", ".join(kind_names(v))


def _fig_html(fig: go.Figure, height: int) -> Markup:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        template="plotly_white",
        font={"family": "system-ui, sans-serif", "size": 12},
        legend={"orientation": "h", "y": -0.15},
    )
    fig.update_yaxes(ticklabelstandoff=6)  # keep theme labels off the bars and cells
    # plotly escapes '<', '>' and '/' inside its JSON, so the div is safe to embed as is
    return Markup(fig.to_html(full_html=False, include_plotlyjs=False, config=_CONFIG))


def _short(label: str, n: int = 40) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def chart_label(label: str, width: int = 40) -> str:
    """A theme's label for a chart axis or legend: its own words first and whole (wrapped onto
    lines of about ``width`` characters), then its topic, shortened; the full label is in the
    tables. "Военнослужащие, участники СВО и их семьи: СВО, контракт" would otherwise be cut
    before the words that tell it from the other themes of its topic."""
    topic, sep, words = label.partition(": ")
    if not sep or not words.strip():
        topic, words = "", label
    lines: list[str] = []
    for part in words.split(", "):
        if lines and len(lines[-1]) + len(part) + 2 <= width:
            lines[-1] += ", " + part
        else:
            lines.append(part)
    if topic:
        lines.append(f"({_short(topic, width - 2)})")
    return "<br>".join(lines)


def _axis_labels(themes: pd.DataFrame, n: int = 40) -> list[str]:
    """Chart labels, made unique: plotly merges bars that share a category name."""
    out, seen = [], set()
    for label, tid in zip(themes["label"], themes["theme_id"], strict=True):
        s = chart_label(str(label), n)
        if s in seen:
            s = f"{s} ({tid})"
        seen.add(s)
        out.append(s)
    return out


def theme_bars(p: DayPicture) -> Markup | None:
    """Broad themes: today's count next to the earlier days' daily mean, growth as text."""
    b = p.broad_themes
    if b.empty:
        return None
    labels = _axis_labels(b)[::-1]  # the most asked keeps the plain label
    b = b.iloc[::-1]  # plotly draws horizontal bars bottom-up
    fig = go.Figure()
    if p.day is None:
        fig.add_bar(y=labels, x=b["count"], orientation="h", name="вопросов")
    else:
        fig.add_bar(
            y=labels,
            x=b["count_prev"],
            orientation="h",
            name="в среднем за прежние дни",
            marker_color="#b0bec5",
        )
        fig.add_bar(
            y=labels,
            x=b["count_day"],
            orientation="h",
            name="за день",
            marker_color="#1e88e5",
            text=[fmt_growth(g) for g in b["growth"]],
            textposition="outside",
        )
        fig.update_layout(barmode="group")
    lines = sum(label.count("<br>") + 1 for label in labels)
    return _fig_html(fig, 160 + 36 * len(b) + 14 * max(lines - len(b), 0))


def trend_chart(p: DayPicture) -> Markup | None:
    """Daily counts of the most asked broad themes."""
    top = p.broad_themes.head(TOP_TREND)
    d = p.daily
    if top.empty or d.empty:
        return None
    fig = go.Figure()
    for tid, label in zip(top["theme_id"], top["label"], strict=True):
        s = d[d["theme_id"] == tid].sort_values("day")
        if len(s):
            fig.add_scatter(
                x=[str(x) for x in s["day"]], y=s["count"], mode="lines+markers",
                name=chart_label(str(label), 30),
            )  # fmt: skip
    fig.update_xaxes(type="date", tickformat="%d.%m")
    return _fig_html(fig, 420)


def regions_heatmap(p: DayPicture) -> Markup | None:
    """Broad themes x their top regions (questions)."""
    top = p.broad_themes.head(TOP_HEATMAP)
    r = p.regions[p.regions["theme_id"].isin(top["theme_id"])]
    if r.empty:
        return None
    m = r.pivot_table(
        index="theme_id", columns="region_name", values="count", aggfunc="sum"
    ).reindex(index=[t for t in top["theme_id"] if t in set(r["theme_id"])])
    m = m[m.sum().sort_values(ascending=False).index]
    labels = dict(zip(top["theme_id"], _axis_labels(top, 30), strict=True))
    z = [[None if pd.isna(v) else float(v) for v in row] for row in m.to_numpy()]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(c) for c in m.columns],
            y=[labels[t] for t in m.index],
            colorscale=BLUES_VISIBLE,
            hoverongaps=False,
            hovertemplate="%{y}<br>%{x}: %{z}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-40)
    lines = sum(labels[t].count("<br>") + 1 for t in m.index)
    return _fig_html(fig, 260 + 28 * len(m) + 14 * max(lines - len(m), 0))


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {k: (None if not isinstance(v, list) and _missing(v) else v) for k, v in row.items()}
        for row in df.to_dict("records")
    ]


def context(picture: DayPicture) -> dict[str, Any]:
    """What the template sees: the picture's tables as records, charts as HTML fragments."""
    p = conform(picture)
    themes = p.themes
    broad = p.broad_themes
    fine = themes[themes["level"] == "fine"]
    labels = dict(zip(themes["theme_id"], themes["label"], strict=True))
    counts = dict(zip(themes["theme_id"], themes["count"], strict=True))
    # shortlists: broad themes first (most asked first), then their fine themes
    order = list(broad["theme_id"]) + list(fine.sort_values("count", ascending=False)["theme_id"])
    order += [t for t in p.shortlists["theme_id"].unique() if t not in set(order)]
    groups = {tid: g.sort_values("rank") for tid, g in p.shortlists.groupby("theme_id", sort=False)}
    shortlists = [
        {
            "theme_id": tid,
            "label": labels.get(tid, str(tid)),
            "count": counts.get(tid),
            "rows": _records(groups[tid]),
        }
        for tid in order
        if tid in groups
    ]
    urgent = p.urgent.sort_values("priority", ascending=False, kind="stable")
    n_urgent, n_urgent_groups = p.urgent_counts
    shown = _records(urgent.head(MAX_URGENT_ROWS))
    charts = {
        "themes": theme_bars(p),
        "trend": trend_chart(p),
        "regions": regions_heatmap(p),
    }
    return {
        "p": p,
        "day_text": fmt_dt(p.day) if p.day is not None else "всё время",
        "period_text": f"за {fmt_dt(p.day)}" if p.day is not None else "за всё время",
        "generated": fmt_dt(p.generated_at),
        "n_urgent": n_urgent,
        "n_urgent_groups": n_urgent_groups,
        "n_campaigns": len(p.campaigns),
        "n_broad": len(broad),
        "n_fine": len(fine),
        "themes": _records(broad) + _records(fine.sort_values("count", ascending=False)),
        "parents": labels,
        # the highest priorities at once, the rest of the page's rows behind "показать все"
        "urgent": shown[:URGENT_FIRST],
        "urgent_more": shown[URGENT_FIRST:],
        "urgent_cut": max(n_urgent_groups - len(shown), 0),
        "campaigns": _records(p.campaigns.sort_values("size", ascending=False)),
        "topics": _records(p.topics.sort_values("count", ascending=False)),
        "shortlists": shortlists,
        "charts": charts,
        "levels": LEVELS_RU,
        # plotly.js once, in the head, and only when a chart needs it
        "plotly_js": Markup(get_plotlyjs()) if any(charts.values()) else None,
    }


def render_html(picture: DayPicture) -> str:
    return _env().get_template("report.html.j2").render(**context(picture))


def write_html(picture: DayPicture, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(render_html(picture), encoding="utf-8")
    return path
