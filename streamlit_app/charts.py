"""Shared chart helpers and formatting, so every page looks the same."""

from __future__ import annotations

import altair as alt
import pandas as pd

SEGMENT_COLORS = {
    "High-Value Active": "#1b7837", "Discount-Driven": "#e08214", "At-Risk / Dormant": "#b2182b",
    "Regular": "#4393c3", "No Purchase Yet": "#999999", "New / Low Engagement": "#8073ac", "Steady": "#4393c3",
    "Watch List": "#1b7837", "Alert": "#b2182b", "Potential": "#e08214", "New": "#8073ac", "Dormant": "#999999",
}


def color_scale(values) -> alt.Scale:
    domain = [value for value in SEGMENT_COLORS if value in set(values)]
    domain += sorted(set(values) - set(domain))
    fallback = ["#4393c3", "#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854"]
    colors = [SEGMENT_COLORS.get(value, fallback[i % len(fallback)]) for i, value in enumerate(domain)]
    return alt.Scale(domain=domain, range=colors)


def money(value) -> str:
    if value is None or pd.isna(value):
        return "-"
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:,.1f}{suffix}"
    return f"{value:,.0f}"


def kpi_value(value, unit: str) -> str:
    if value is None or pd.isna(value):
        return "-"
    if unit == "currency":
        return money(value)
    if unit == "share":
        return f"{value:.1%}"
    return f"{value:,.0f}"


def kpi_delta(change, change_share, unit: str) -> str | None:
    if change is None or pd.isna(change):
        return None
    if unit == "share":
        return f"{change * 100:+.1f} pts"
    share = "" if change_share is None or pd.isna(change_share) else f" ({change_share:+.1%})"
    return f"{money(change) if unit == 'currency' else f'{change:+,.0f}'}{share}"
