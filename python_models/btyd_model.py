"""The buy-till-you-die models (BG/NBD for purchases, Gamma-Gamma for their value) fitted on every purchaser's
history at each snapshot the ML reads: 'score' at as_of_date, and the labelled snapshots (training and backtest),
each fit reading only the orders up to its day. Fitted when the models train (int_ml_retrain), like them; in between
the stored parameters score the new histories (btyd_scores)."""

import pandas as pd

from engagement_radar.ml.btyd import fit_models, model_table, snapshot_name
from engagement_radar.ml.frames import to_frame
from engagement_radar.ml.runs import kept_or_trained


def model(dbt, session):
    dbt.config(materialized="table")

    def train():
        days = to_frame(dbt.ref("int_snapshot_dates").filter("measures_orders").fetch_arrow_table())
        histories = to_frame(dbt.ref("int_purchase_histories").order("snapshot_date, customer_id")
                             .fetch_arrow_table())
        histories["snapshot_date"] = pd.to_datetime(histories["snapshot_date"]).dt.date
        days["snapshot_date"] = pd.to_datetime(days["snapshot_date"]).dt.date
        fits = []
        for role, day in zip(days["snapshot_role"], days["snapshot_date"], strict=True):
            snapshot = snapshot_name(role)
            if snapshot is not None:
                purchases, spend, status = fit_models(histories[histories["snapshot_date"] == day])
                fits.append({"snapshot": snapshot, "snapshot_date": day, "purchases": purchases,
                             "spend": spend, "status": status})
        fitted_at = session.sql("select get_current_timestamp()::timestamp").fetchall()[0][0]
        return model_table(sorted(fits, key=lambda fit: fit["snapshot"]), fitted_at)

    return kept_or_trained(dbt, session, dbt.ref("int_ml_retrain"), train)
