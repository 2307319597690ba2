"""The buy-till-you-die models (BG/NBD for purchases, Gamma-Gamma for their value) fitted on every purchaser's history
at each snapshot the ML reads: 'score' at as_of_date, and 'train' at the training snapshot when the models train (its
fit reads only orders up to that day). Fitted on every run: a closed-form likelihood over the distinct histories."""

import pandas as pd

from engagement_radar.ml.btyd import SNAPSHOTS, fit_models, model_table
from engagement_radar.ml.frames import to_frame


def model(dbt, session):
    dbt.config(materialized="table")
    days = to_frame(dbt.ref("int_snapshot_dates").filter("measures_orders").fetch_arrow_table())
    histories = to_frame(dbt.ref("int_purchase_histories").order("snapshot_date, customer_id").fetch_arrow_table())
    histories["snapshot_date"] = pd.to_datetime(histories["snapshot_date"]).dt.date
    days["snapshot_date"] = pd.to_datetime(days["snapshot_date"]).dt.date
    fits = []
    for role, snapshot in SNAPSHOTS.items():
        for day in days.loc[days["snapshot_role"] == role, "snapshot_date"]:
            purchases, spend, status = fit_models(histories[histories["snapshot_date"] == day])
            fits.append({"snapshot": snapshot, "snapshot_date": day, "purchases": purchases,
                         "spend": spend, "status": status})
    fitted_at = session.sql("select get_current_timestamp()::timestamp").fetchall()[0][0]
    return model_table(fits, fitted_at)
