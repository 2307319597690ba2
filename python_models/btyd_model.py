"""The buy-till-you-die models (BG/NBD for purchases, Gamma-Gamma for their value) fitted on every purchaser's
history at each snapshot the ML reads: 'score' at as_of_date, and the labelled snapshots (training and backtest),
each fit reading only the orders up to its day. Fitted when the models train (int_ml_retrain), like them; in between
the stored parameters score the new histories (btyd_scores)."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import btyd_model


def model(dbt, session):
    dbt.config(materialized="table")
    return btyd_model(DbtDuckDBTables(
        dbt, session,
        int_ml_retrain=dbt.ref("int_ml_retrain"),
        int_purchase_histories=dbt.ref("int_purchase_histories"),
        int_snapshot_dates=dbt.ref("int_snapshot_dates")))
