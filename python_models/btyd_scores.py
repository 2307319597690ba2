"""Every purchaser's P(alive), expected purchases, chance of a purchase in the horizon and lifetime value at each
snapshot of this run (int_snapshot_dates) by that snapshot's fit in btyd_model - for 'score', the fit stored when the
models last trained. The ML features read them (int_customer_features); the 'score' snapshot is published, with its
contract, as customer_lifetime_value."""

import pandas as pd

from engagement_radar.ml.btyd import models_from_row, score_table, snapshot_name
from engagement_radar.ml.frames import to_frame


def model(dbt, session):
    dbt.config(materialized="table")
    fits = {row["snapshot"]: row for row in to_frame(dbt.ref("btyd_model").fetch_arrow_table()).to_dict("records")}
    days = to_frame(dbt.ref("int_snapshot_dates").filter("measures_orders").fetch_arrow_table())
    histories = to_frame(dbt.ref("int_purchase_histories").fetch_arrow_table())
    histories["snapshot_date"] = pd.to_datetime(histories["snapshot_date"]).dt.date
    tables = []
    for role, day in sorted(zip(days["snapshot_role"], pd.to_datetime(days["snapshot_date"]).dt.date, strict=True)):
        snapshot = snapshot_name(role)
        if snapshot is None:
            continue
        purchases, spend = models_from_row(fits[snapshot]) if snapshot in fits else (None, None)
        tables.append(score_table(histories[histories["snapshot_date"] == day], purchases, spend, snapshot,
                                  int(dbt.config.get("propensity_horizon_days")),
                                  int(dbt.config.get("clv_horizon_days")),
                                  float(dbt.config.get("clv_annual_discount_rate"))))
    return pd.concat(tables, ignore_index=True)
