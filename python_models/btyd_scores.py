"""Every purchaser's P(alive), expected purchases, chance of a purchase in the horizon and lifetime value at each
snapshot of btyd_model, by that snapshot's fit. The ML features read them (int_customer_features); the 'score'
snapshot is published, with its contract, as customer_lifetime_value."""

import pandas as pd

from engagement_radar.ml.btyd import models_from_row, score_table
from engagement_radar.ml.frames import to_frame


def model(dbt, session):
    dbt.config(materialized="table")
    fits = to_frame(dbt.ref("btyd_model").fetch_arrow_table())
    histories = to_frame(dbt.ref("int_purchase_histories").fetch_arrow_table())
    histories["snapshot_date"] = pd.to_datetime(histories["snapshot_date"]).dt.date
    tables = []
    for row in fits.to_dict("records"):
        purchases, spend = models_from_row(row)
        day = pd.Timestamp(row["snapshot_date"]).date()
        tables.append(score_table(histories[histories["snapshot_date"] == day], purchases, spend, row["snapshot"],
                                  int(dbt.config.get("propensity_horizon_days")),
                                  int(dbt.config.get("clv_horizon_days")),
                                  float(dbt.config.get("clv_annual_discount_rate"))))
    return pd.concat(tables, ignore_index=True)
