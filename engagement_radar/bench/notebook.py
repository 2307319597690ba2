"""The core marts computed the notebook way, with pandas, straight from the raw Parquet files: what an analyst would
write without the warehouse. It assumes clean files (no screening, no quarantine) and gives the warehouse's numbers
on them: customer_rfm, cohort_retention, customer_engagement (scores) and kpi_monthly.

    python -m engagement_radar.bench.notebook RAW_DIR OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from engagement_radar.bench import definitions as d


def read(raw: Path) -> dict[str, pd.DataFrame]:
    customers = pd.read_parquet(raw / "customers.parquet", columns=["customer_id", "signup_at"])
    orders = pd.read_parquet(raw / "orders.parquet", columns=[
        "order_id", "customer_id", "ordered_at", "gross_amount", "discount_amount", "refund_amount"])
    events = pd.read_parquet(raw / "engagement_events.parquet", columns=["customer_id", "occurred_at", "channel",
                                                                         "event_type"])
    for frame, column in ((customers, "signup_at"), (orders, "ordered_at"), (events, "occurred_at")):
        frame["date"] = frame[column].dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()
    orders["net"] = orders["gross_amount"] - orders["discount_amount"].fillna(0) - orders["refund_amount"].fillna(0)
    orders["discount_amount"] = orders["discount_amount"].fillna(0)
    weights = pd.read_csv(d.SEEDS / "channel_event_weights.csv")
    events = events.merge(weights[["channel", "event_type", "channel_group", "weight", "is_active_engagement"]],
                          on=["channel", "event_type"], how="left")
    events["weight"] = events["weight"].fillna(0.0)
    events["is_active_engagement"] = events["is_active_engagement"].fillna(False).astype(bool)
    return {"customers": customers, "orders": orders, "events": events}


def quintile(values: pd.Series, higher_is_better: bool) -> pd.Series:
    """ceil(5k/n), k = rows scoring no better than this one, ties included."""
    k = values.rank(method="max", ascending=higher_is_better).astype(np.int64)
    return ((5 * k + len(values) - 1) // len(values)).astype(np.int64)


def customer_rfm(data: dict, as_of: pd.Timestamp) -> pd.DataFrame:
    customers = data["customers"][data["customers"]["date"] <= as_of][["customer_id"]]
    orders = data["orders"][data["orders"]["date"] <= as_of]
    stats = orders.groupby("customer_id").agg(frequency=("order_id", "size"), monetary=("net", "sum"),
                                              gross=("gross_amount", "sum"), discount=("discount_amount", "sum"),
                                              first=("date", "min"), last=("date", "max"))
    # the warehouse sums money exactly (to 1e-4): a float sum would split ties that the quintiles must keep
    stats["monetary"] = stats["monetary"].round(4)
    rfm = customers.merge(stats, left_on="customer_id", right_index=True, how="left")
    rfm["frequency"] = rfm["frequency"].fillna(0).astype(np.int64)
    rfm["monetary"] = rfm["monetary"].fillna(0.0)
    rfm["recency_days"] = (as_of - rfm["last"]).dt.days
    buyers = rfm["frequency"] > 0
    rfm.loc[buyers, "r_score"] = quintile(rfm.loc[buyers, "recency_days"], higher_is_better=False)
    rfm.loc[buyers, "f_score"] = quintile(rfm.loc[buyers, "frequency"], higher_is_better=True)
    rfm.loc[buyers, "m_score"] = quintile(rfm.loc[buyers, "monetary"], higher_is_better=True)
    cadence = ((rfm["last"] - rfm["first"]).dt.days / (rfm["frequency"] - 1)).where(rfm["frequency"] > 1)
    after = np.where(rfm["frequency"] == 1, d.AT_RISK_ONE_TIME_BUYER_DAYS,
                     np.maximum(d.AT_RISK_MIN_DAYS, d.AT_RISK_CADENCE_MULTIPLIER * cadence))
    rfm["is_at_risk"] = buyers & (rfm["recency_days"] > after)
    share = (rfm["discount"] / rfm["gross"]).where(rfm["gross"] > 0)
    rfm["value_segment"] = np.select(
        [~buyers, rfm["is_at_risk"], share >= d.DISCOUNT_DRIVEN_SHARE, rfm["m_score"] >= d.HIGH_VALUE_MIN_M_SCORE],
        ["No Purchase Yet", "At-Risk / Dormant", "Discount-Driven", "High-Value Active"], "Regular")
    return rfm[["customer_id", "recency_days", "frequency", "monetary", "r_score", "f_score", "m_score", "is_at_risk",
                "value_segment"]]


def customer_months(data: dict, as_of: pd.Timestamp) -> pd.DataFrame:
    events = data["events"][data["events"]["date"] <= as_of]
    orders = data["orders"][data["orders"]["date"] <= as_of]
    events = events.assign(month=events["date"].dt.to_period("M"))
    orders = orders.assign(month=orders["date"].dt.to_period("M"))
    email = events["channel"] == "email"
    engagement = events.assign(
        active=events["is_active_engagement"].astype(np.int64),
        delivered=(email & (events["event_type"] == "delivered")).astype(np.int64),
        opens=(email & (events["event_type"] == "open")).astype(np.int64),
        clicks=(email & (events["event_type"] == "click")).astype(np.int64),
    ).groupby(["customer_id", "month"])[["active", "delivered", "opens", "clicks"]].sum()
    ordered = orders.groupby(["customer_id", "month"]).agg(orders=("order_id", "size"), net=("net", "sum"))
    months = engagement.join(ordered, how="outer").fillna(0)
    months["is_active"] = (months["active"] > 0) | (months["orders"] > 0)
    months["has_order"] = months["orders"] > 0
    return months.reset_index()


def cohort_retention(data: dict, as_of: pd.Timestamp, months: pd.DataFrame) -> pd.DataFrame:
    members = data["customers"][data["customers"]["date"] <= as_of][["customer_id", "date"]]
    cohort = members["date"].dt.year * 12 + members["date"].dt.month - 1  # months since year 0
    last = as_of.year * 12 + as_of.month - 1
    spine = pd.DataFrame({"customer_id": members["customer_id"].to_numpy().repeat(last - cohort + 1),
                          "cohort": cohort.to_numpy().repeat(last - cohort + 1)})
    spine["offset"] = spine.groupby("customer_id").cumcount()
    spine["month_number"] = spine["cohort"] + spine["offset"]
    months = months.assign(month_number=months["month"].dt.year * 12 + months["month"].dt.month - 1)
    spine = spine.merge(months.drop(columns=["month"]), on=["customer_id", "month_number"], how="left")
    for column in ("delivered", "opens", "clicks"):
        spine[column] = spine[column].fillna(0)
    spine["is_active"] = spine["is_active"].fillna(False).astype(bool)
    spine["has_order"] = spine["has_order"].fillna(False).astype(bool)
    spine = spine.sort_values(["customer_id", "month_number"], kind="stable")
    by_customer = spine.groupby("customer_id", sort=False)
    last_month = by_customer["is_active"].shift(1, fill_value=False).astype(bool)
    ever = spine["is_active"].astype(np.int8).groupby(spine["customer_id"], sort=False).cummax()
    before = ever.groupby(spine["customer_id"], sort=False).shift(1, fill_value=0).astype(bool)
    spine["lapsed"] = before & ~last_month
    spine["reactivated"] = spine["lapsed"] & spine["is_active"]
    table = spine.groupby(["cohort", "offset"]).agg(
        cohort_size=("customer_id", "size"), active_customers=("is_active", "sum"), purchasers=("has_order", "sum"),
        lapsed_customers=("lapsed", "sum"), reactivated_customers=("reactivated", "sum"),
        emails_delivered=("delivered", "sum"), email_clicks=("clicks", "sum")).reset_index()
    table["retention_rate"] = table["active_customers"] / table["cohort_size"]
    table["cohort_month"] = pd.to_datetime(dict(year=table["cohort"] // 12, month=table["cohort"] % 12 + 1, day=1))
    return table.rename(columns={"offset": "months_since_signup"}).drop(columns=["cohort"])


def customer_engagement(data: dict, as_of: pd.Timestamp) -> pd.DataFrame:
    customers = data["customers"][data["customers"]["date"] <= as_of][["customer_id"]]
    events = data["events"]

    def scores(day: pd.Timestamp) -> pd.DataFrame:
        upto = events[events["date"] <= day]
        decayed = upto["weight"] * 0.5 ** ((day - upto["date"]).dt.days / d.HALF_LIFE_DAYS)
        return decayed.groupby(upto["customer_id"]).sum()

    return customers.assign(
        engagement_score=customers["customer_id"].map(scores(as_of)).fillna(0.0),
        prior_quarter_score=customers["customer_id"].map(scores(as_of - pd.DateOffset(months=3))).fillna(0.0))


def kpi_monthly(data: dict, as_of: pd.Timestamp, rfm: pd.DataFrame, months: pd.DataFrame) -> pd.DataFrame:
    segments = rfm[["customer_id", "value_segment"]]
    activity = months.merge(segments, on="customer_id").groupby(["month", "value_segment"]).agg(
        active_customers=("is_active", "sum"), purchasers=("has_order", "sum"), orders=("orders", "sum"),
        net_revenue=("net", "sum")).reset_index()
    customers = data["customers"].merge(segments, on="customer_id")
    signups = customers.assign(month=customers["date"].dt.to_period("M")).groupby(["month", "value_segment"]).size()
    first = data["customers"]["date"].min().to_period("M")
    spine = pd.MultiIndex.from_product([pd.period_range(first, as_of.to_period("M"), freq="M"),
                                        sorted(segments["value_segment"].unique())], names=["month", "value_segment"])
    table = activity.set_index(["month", "value_segment"]).reindex(spine).fillna(0)
    table["new_customers"] = signups.reindex(spine).fillna(0).to_numpy()
    table = table.reset_index()
    table["activity_month"] = table["month"].dt.to_timestamp()
    return table.drop(columns=["month"])


def core_marts(raw: Path) -> dict[str, pd.DataFrame]:
    data = read(raw)
    as_of = max(data["orders"]["date"].max(), data["events"]["date"].max())
    rfm = customer_rfm(data, as_of)
    months = customer_months(data, as_of)
    return {"customer_rfm": rfm, "cohort_retention": cohort_retention(data, as_of, months),
            "customer_engagement": customer_engagement(data, as_of),
            "kpi_monthly": kpi_monthly(data, as_of, rfm, months)}


def main(argv: list[str] | None = None) -> int:
    raw, out = (Path(argument) for argument in (argv or sys.argv[1:]))
    out.mkdir(parents=True, exist_ok=True)
    for name, table in core_marts(raw).items():
        table.to_parquet(out / f"{name}.parquet", index=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
