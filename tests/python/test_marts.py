"""The analytics marts, recomputed independently with pandas from the raw files, and the radar's hit rates."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import PROJECT_DIR, mart

pytestmark = pytest.mark.dbt
HALF_LIFE_DAYS = 45  # the project default (dbt_project.yml: engagement_half_life_days)


@pytest.fixture(scope="module")
def radar_data(analytics_data):
    return analytics_data


@pytest.fixture(scope="module")
def built(analytics_build):
    return analytics_build


@pytest.fixture(scope="module")
def raw(radar_data):
    customers = pd.read_parquet(radar_data / "customers.parquet")
    orders = pd.read_parquet(radar_data / "orders.parquet")
    events = pd.read_parquet(radar_data / "engagement_events.parquet")
    for frame, column in ((customers, "signup_at"), (orders, "ordered_at"), (events, "occurred_at")):
        frame["date"] = frame[column].dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()
    orders["customer_id"] = orders["customer_id"].astype(str)
    events["customer_id"] = events["customer_id"].astype(str)
    as_of = max(orders["date"].max(), events["date"].max())
    weights = pd.read_csv(PROJECT_DIR / "seeds" / "channel_event_weights.csv")
    return {"customers": customers, "orders": orders, "events": events, "as_of": as_of, "weights": weights}




def assert_close(left: pd.Series, right: pd.Series, label: str, rel=1e-9, atol=0.0):
    left, right = left.astype(float).to_numpy(), right.astype(float).to_numpy()
    both_nan = np.isnan(left) & np.isnan(right)
    ok = both_nan | np.isclose(left, right, rtol=rel, atol=atol)
    assert ok.all(), f"{label}: {(~ok).sum()} rows differ, e.g. {left[~ok][:3]} vs {right[~ok][:3]}"


def quintile(values: pd.Series, ascending=True) -> pd.Series:
    """ceil(5k/n) with k the number of rows ranking no better (ties included)."""
    k = values.rank(method="max", ascending=ascending).astype(int)
    n = len(values)
    return (5 * k + n - 1) // n


def test_customer_rfm_matches_pandas(built, raw):
    as_of = raw["as_of"]
    customers = raw["customers"][raw["customers"]["date"] <= as_of]
    orders = raw["orders"][raw["orders"]["date"] <= as_of].copy()
    orders["net"] = orders["gross_amount"] - orders["discount_amount"] - orders["refund_amount"]
    per_customer = orders.groupby("customer_id").agg(frequency=("order_id", "size"), monetary=("net", "sum"),
                                                     last=("date", "max"))
    expected = customers[["customer_id"]].merge(per_customer, left_on="customer_id", right_index=True, how="left")
    expected["frequency"] = expected["frequency"].fillna(0).astype(int)
    expected["monetary"] = expected["monetary"].fillna(0.0)
    expected["recency_days"] = (as_of - expected["last"]).dt.days
    buyers = expected["frequency"] > 0
    expected.loc[buyers, "r_score"] = quintile(expected.loc[buyers, "recency_days"], ascending=False)
    expected.loc[buyers, "f_score"] = quintile(expected.loc[buyers, "frequency"])
    expected.loc[buyers, "m_score"] = quintile(expected.loc[buyers, "monetary"])

    actual = mart(built, "customer_rfm")
    assert len(actual) == len(expected)
    merged = expected.merge(actual, on="customer_id", suffixes=("_expected", ""), validate="1:1")
    for column in ("frequency", "recency_days", "r_score", "f_score", "m_score"):
        left = merged[f"{column}_expected"].fillna(-1).astype(int)
        right = merged[column].fillna(-1).astype(int)
        assert (left == right).all(), f"{column}: {(left != right).sum()} rows differ"
    # money: 1e-9 relative, and 1e-9 absolute where a refund brings the sum to zero (pandas' float sum leaves
    # a few 1e-14 there; the warehouse sums money exactly)
    assert_close(merged["monetary_expected"], merged["monetary"], "monetary", atol=1e-9)
    print(f"customer_rfm: {len(actual)} customers, {int(buyers.sum())} purchasers, identical")


def test_cohort_retention_matches_pandas(built, raw):
    as_of = raw["as_of"]
    weights = raw["weights"]
    active_types = set(map(tuple, weights.loc[weights["is_active_engagement"], ["channel", "event_type"]].values))
    customers = raw["customers"][raw["customers"]["date"] <= as_of].copy()
    customers["cohort"] = customers["date"].dt.to_period("M")
    events = raw["events"][raw["events"]["date"] <= as_of].copy()
    events["month"] = events["date"].dt.to_period("M")
    events["active"] = [pair in active_types for pair in zip(events["channel"], events["event_type"], strict=True)]
    orders = raw["orders"][raw["orders"]["date"] <= as_of].copy()
    orders["month"] = orders["date"].dt.to_period("M")

    active = pd.concat([events.loc[events["active"], ["customer_id", "month"]], orders[["customer_id", "month"]]])
    active = set(map(tuple, active.drop_duplicates().values))
    ordered = set(map(tuple, orders[["customer_id", "month"]].drop_duplicates().values))
    email = events[events["channel"] == "email"]
    delivered = email[email["event_type"] == "delivered"].groupby(["customer_id", "month"]).size().to_dict()
    clicks = email[email["event_type"] == "click"].groupby(["customer_id", "month"]).size().to_dict()

    last_month = as_of.to_period("M")
    rows = {}
    for customer_id, cohort in zip(customers["customer_id"], customers["cohort"], strict=True):
        was_last, ever = False, False
        month = cohort
        while month <= last_month:
            key = (cohort, (month - cohort).n)
            row = rows.setdefault(key, dict.fromkeys(
                ("size", "active", "ordered", "lapsed", "reactivated", "delivered", "clicks"), 0))
            is_active = (customer_id, month) in active
            row["size"] += 1
            row["active"] += is_active
            row["ordered"] += (customer_id, month) in ordered
            lapsed = ever and not was_last
            row["lapsed"] += lapsed
            row["reactivated"] += lapsed and is_active
            row["delivered"] += delivered.get((customer_id, month), 0)
            row["clicks"] += clicks.get((customer_id, month), 0)
            ever, was_last = ever or is_active, is_active
            month += 1
    expected = pd.DataFrame([{"cohort_month": cohort.to_timestamp(), "months_since_signup": offset, **values}
                             for (cohort, offset), values in rows.items()])

    actual = mart(built, "cohort_retention")
    actual["cohort_month"] = pd.to_datetime(actual["cohort_month"])
    assert len(actual) == len(expected)
    merged = expected.merge(actual, on=["cohort_month", "months_since_signup"], validate="1:1")
    pairs = {"size": "cohort_size", "active": "active_customers", "ordered": "purchasers",
             "lapsed": "lapsed_customers", "reactivated": "reactivated_customers",
             "delivered": "emails_delivered", "clicks": "email_clicks"}
    for mine, theirs in pairs.items():
        assert (merged[mine] == merged[theirs]).all(), f"{theirs}: {(merged[mine] != merged[theirs]).sum()} differ"
    assert_close(merged["active"] / merged["size"], merged["retention_rate"], "retention_rate")
    ctr = (merged["clicks"] / merged["delivered"].replace(0, np.nan))
    assert_close(ctr, merged["email_click_through_rate"], "email_click_through_rate")
    reactivation = merged["reactivated"] / merged["lapsed"].replace(0, np.nan)
    assert_close(reactivation, merged["reactivation_rate"], "reactivation_rate")
    print(f"cohort_retention: {len(actual)} cohort-months, identical")


def test_engagement_score_matches_pandas(built, raw):
    as_of = raw["as_of"]
    prior = as_of - pd.DateOffset(months=3)
    events = raw["events"].merge(raw["weights"][["channel", "event_type", "weight"]], how="left",
                                 on=["channel", "event_type"])
    events["weight"] = events["weight"].fillna(0.0)

    def score(date):
        upto = events[events["date"] <= date]
        age = (date - upto["date"]).dt.days.astype(float)
        return (upto["weight"] * 0.5 ** (age / HALF_LIFE_DAYS)).groupby(upto["customer_id"]).sum()

    customers = raw["customers"][raw["customers"]["date"] <= as_of][["customer_id"]]
    expected = customers.assign(
        score=customers["customer_id"].map(score(as_of)).fillna(0.0),
        prior=customers["customer_id"].map(score(prior)).fillna(0.0),
    )
    actual = mart(built, "customer_engagement")
    merged = expected.merge(actual, on="customer_id", validate="1:1")
    assert len(merged) == len(actual) == len(expected)
    assert_close(merged["score"], merged["engagement_score"], "engagement_score")
    assert_close(merged["prior"], merged["prior_quarter_score"], "prior_quarter_score")
    print(f"customer_engagement: {len(actual)} scores, equal to 1e-9")


def radar_segments(raw, date, radar_vars) -> pd.DataFrame:
    """The radar segments on `date`, against the score three months before it, computed with pandas."""
    prior = date - pd.DateOffset(months=3)
    events = raw["events"].merge(raw["weights"][["channel", "event_type", "weight", "is_active_engagement"]],
                                 how="left", on=["channel", "event_type"])
    events["weight"] = events["weight"].fillna(0.0)

    def score(day):
        upto = events[events["date"] <= day]
        age = (day - upto["date"]).dt.days.astype(float)
        return (upto["weight"] * 0.5 ** (age / HALF_LIFE_DAYS)).groupby(upto["customer_id"]).sum()

    active = events[(events["is_active_engagement"] == True) & (events["date"] <= date)]  # noqa: E712
    last_active = active.groupby("customer_id")["date"].max()
    customers = raw["customers"][raw["customers"]["date"] <= date][["customer_id", "date"]]
    frame = customers.assign(
        score=customers["customer_id"].map(score(date)).fillna(0.0),
        prior=customers["customer_id"].map(score(prior)).fillna(0.0),
        has_prior=customers["date"] <= prior,
        idle=(date - customers["customer_id"].map(last_active)).dt.days,
    )
    measured = frame[frame["has_prior"]]
    high = np.quantile(measured["score"], radar_vars["high"])
    high_prior = np.quantile(measured["prior"], radar_vars["high"])
    meaningful = np.quantile(measured["prior"], radar_vars["meaningful"])
    active_score = np.quantile(measured["score"], radar_vars["active"])

    def segment(row):
        if not row.has_prior:
            return "New"
        if row.prior > 0 and row.prior >= meaningful and row.score <= (1 - radar_vars["drop"]) * row.prior:
            return "Alert"
        if row.score >= high and row.prior >= high_prior:
            return "Watch List"
        if row.prior < meaningful and row.score >= radar_vars["growth"] * row.prior and row.score >= active_score \
                and row.score > 0:
            return "Potential"
        if pd.isna(row.idle) or row.idle > radar_vars["dormant"]:
            return "Dormant"
        return "Steady"

    return frame.assign(radar_segment=[segment(row) for row in frame.itertuples()])[["customer_id", "radar_segment"]]


def test_radar_today_and_a_quarter_ago_match_pandas(built, raw):
    """The radar's segments today, and as they stood one quarter ago (the cards' change), recomputed with pandas."""
    radar_vars = {"high": 0.75, "meaningful": 0.65, "active": 0.5, "drop": 0.5, "growth": 2.0, "dormant": 90}
    today = radar_segments(raw, raw["as_of"], radar_vars)
    before = radar_segments(raw, raw["as_of"] - pd.DateOffset(months=3), radar_vars)
    actual = mart(built, "customer_engagement").merge(today, on="customer_id", suffixes=("", "_pandas"))
    assert len(actual) == len(today)
    differ = actual["radar_segment"] != actual["radar_segment_pandas"]
    assert not differ.any(), actual.loc[differ, ["customer_id", "radar_segment", "radar_segment_pandas"]].head()

    summary = mart(built, "radar_summary").set_index("radar_segment")
    stayed = today.merge(before, on=["customer_id", "radar_segment"])
    for name in ["Watch List", "Alert", "Potential", "Steady", "New", "Dormant"]:
        row = summary.loc[name]
        assert row["customers"] == (today["radar_segment"] == name).sum(), name
        assert row["customers_prior_quarter"] == (before["radar_segment"] == name).sum(), name
        assert row["customers_also_prior_quarter"] == (stayed["radar_segment"] == name).sum(), name
    assert summary["customers_prior_quarter"].sum() == len(before) > 0
    assert (summary["customers_prior_quarter"] > 0).sum() >= 5  # a real radar a quarter ago, not an empty one
    print("radar_summary: today", summary["customers"].to_dict(), "a quarter ago",
          summary["customers_prior_quarter"].to_dict())


def test_radar_finds_the_planted_decliners_and_risers(built, radar_data):
    truth = pd.read_csv(radar_data / "_truth" / "customers.csv")
    radar = mart(built, "customer_engagement").merge(truth, on="customer_id")
    alert = radar["radar_segment"] == "Alert"
    recall = (alert & radar["is_decliner"]).sum() / radar["is_decliner"].sum()
    precision = (alert & radar["is_decliner"]).sum() / alert.sum()
    potential = radar["radar_segment"] == "Potential"
    riser_recall = (potential & radar["is_riser"]).sum() / radar["is_riser"].sum()
    print(f"Alert: recall {recall:.1%} of {radar['is_decliner'].sum()} planted decliners, precision {precision:.1%}"
          f" ({alert.sum()} alerts); Potential holds {riser_recall:.1%} of {radar['is_riser'].sum()} planted risers")
    assert recall >= 0.8
    assert precision >= 0.7
    assert riser_recall > 0.5
    assert not math.isnan(precision)


def test_segment_transitions_show_the_planted_decliners_sliding_to_alert(built, radar_data):
    """The generator plants customers whose engagement collapses in the last quarter: segment_transitions counts
    the ones who were on the Watch List a quarter ago and are in Alert today, and each count matches the radar's own
    segments on both days (int_radar_segments)."""
    truth = pd.read_csv(radar_data / "_truth" / "customers.csv")
    decliners = set(truth.loc[truth["is_decliner"], "customer_id"])
    radar = mart(built, "int_radar_segments")
    paths = (radar[radar["radar_role"] == "prior_quarter"][["customer_id", "radar_segment"]]
             .merge(radar[radar["radar_role"] == "as_of"][["customer_id", "radar_segment"]], on="customer_id",
                    suffixes=("_before", "_today")))
    slid = paths[(paths["radar_segment_before"] == "Watch List") & (paths["radar_segment_today"] == "Alert")]
    planted_slid = set(slid["customer_id"]) & decliners
    assert len(planted_slid) >= 3, "planted decliners on the Watch List a quarter ago should be in Alert today"
    transitions = mart(built, "segment_transitions")
    quarter = transitions[(transitions["period"] == "quarter") & (transitions["scheme"] == "radar")]
    row = quarter[(quarter["from_segment"] == "Watch List") & (quarter["to_segment"] == "Alert")]
    assert len(row) == 1 and row["customers"].iloc[0] == len(slid) >= len(planted_slid)
    counted = paths.groupby(["radar_segment_before", "radar_segment_today"]).size()
    for item in quarter.itertuples():
        assert item.customers == counted[(item.from_segment, item.to_segment)]
    shares = quarter.groupby("from_segment")["share_of_from_segment"].sum()
    assert np.allclose(shares, 1.0)
    print(f"Watch List -> Alert this quarter: {len(slid)} customers, {len(planted_slid)} of them planted decliners "
          f"(of {len(decliners)} planted)")
