"""Shared chart helpers and formatting, so every page looks the same."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

SEGMENT_COLORS = {
    "High-Value Active": "#1b7837", "Discount-Driven": "#e08214", "At-Risk / Dormant": "#b2182b",
    "Regular": "#4393c3", "No Purchase Yet": "#999999", "New / Low Engagement": "#8073ac", "Steady": "#4393c3",
    "Champions": "#1b7837", "Deal Seekers": "#e08214", "Drifting Away": "#b2182b", "Light Users": "#8073ac",
    "Mainstream": "#4393c3",
    "Watch List": "#1b7837", "Alert": "#b2182b", "Potential": "#e08214", "New": "#8073ac", "Dormant": "#999999",
}

# what the propensity model predicts (report_context.propensity_target): what a customer is likely to do, and what
# those who did, did
TARGETS = {"order": ("order", "ordered"),
           "campaign_response": ("respond to a campaign (click, register or attend, or order through one)",
                                 "responded"),
           "plan_upgrade": ("upgrade their plan", "upgraded")}


def target_words(target) -> tuple[str, str]:
    target = str(target or "order")
    return TARGETS.get(target, (f"reach the target '{target}'", "reached it"))


def segment_order(values, first=()) -> list:
    """The segments among values in the order they are shown: `first` (e.g. the radar's display order), then the
    order of SEGMENT_COLORS, then any other alphabetically."""
    present = set(values)
    order = list(dict.fromkeys(value for value in (*first, *SEGMENT_COLORS) if value in present))
    return order + sorted(present - set(order))


def color_scale(values) -> alt.Scale:
    domain = segment_order(values)
    fallback = ["#4393c3", "#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854"]
    colors = [SEGMENT_COLORS.get(value, fallback[i % len(fallback)]) for i, value in enumerate(domain)]
    return alt.Scale(domain=domain, range=colors)


# the currency symbol of every money figure: report_context.currency (var('currency')), set by app.py
CURRENCY = {"symbol": "$"}

# names a person reads, for the codes the warehouse stores
CHANNEL_GROUP_LABELS = {"email": "Email", "webinar": "Webinar", "live_event": "Live event", "social": "Social media",
                        "web": "Website", "field": "Sales calls", "product": "Product use", "support": "Support",
                        "order": "Order", "unknown": "Unknown", "all channels": "All channels"}


def set_currency(symbol) -> None:
    CURRENCY["symbol"] = str(symbol) if symbol is not None and not pd.isna(symbol) else "$"


def readable(code) -> str:
    """A stored code as a person reads it: 'live_event' -> 'Live event'."""
    if code is None or (not isinstance(code, str) and pd.isna(code)):
        return "–"
    return CHANNEL_GROUP_LABELS.get(code, str(code).replace("_", " ").capitalize())


def money(value) -> str:
    """A money figure with the currency, compact: $16.1M, $940, -$3.2k."""
    if value is None or pd.isna(value):
        return "–"
    sign, value = ("-" if value < 0 else ""), abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"{sign}{CURRENCY['symbol']}{value / limit:,.1f}{suffix}"
    return f"{sign}{CURRENCY['symbol']}{value:,.0f}"


def money_axis(title: str | None) -> alt.Axis:
    """An axis of money: the currency and SI units with significant digits only ($0, $500k, $1.5M)."""
    return alt.Axis(title=title, labelExpr=f"'{CURRENCY['symbol']}' + format(datum.value, '.3~s')")


def money_column(label: str, width=None):
    return st.column_config.NumberColumn(f"{label} ({CURRENCY['symbol']})", format="localized", step=1, width=width)


def count_column(label: str, width=None):
    return st.column_config.NumberColumn(label, format="localized", step=1, width=width)


def share_column(label: str):
    """A share as a percentage with one decimal (12.3%)."""
    return st.column_config.NumberColumn(label, format="percent", step=0.001)


def kpi_value(value, unit: str) -> str:
    if value is None or pd.isna(value):
        return "-"
    if unit == "currency":
        return money(value)
    if unit == "share":
        return f"{value:.1%}"
    return f"{value:,.0f}"


def kpi_delta(change, change_share, unit: str) -> str | None:
    """The change against the previous period; None (no arrow) when it rounds to nothing."""
    if change is None or pd.isna(change):
        return None
    if unit == "share":
        return None if round(change * 100, 1) == 0 else f"{change * 100:+.1f} pts"
    if unit != "currency" and round(change) == 0 or unit == "currency" and abs(change) < 0.5:
        return None
    share = "" if change_share is None or pd.isna(change_share) else f" ({change_share:+.1%})"
    amount = (("+" if change > 0 else "") + money(change)) if unit == "currency" else f"{change:+,.0f}"
    return f"{amount}{share}"


def open_customer_on_select(event, table: pd.DataFrame) -> None:
    """Opens the Customer page on the row a person picked in a table shown with on_select="rerun"."""
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if rows:
        st.switch_page("views/customer.py", query_params={"customer": str(table.iloc[rows[0]]["customer_id"])})
