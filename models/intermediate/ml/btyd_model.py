"""The BG/NBD and Gamma-Gamma fits, one row per snapshot of this run (kept between trainings)."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import btyd_model


def model(dbt, session):
    return btyd_model(DbtDuckDBTables(
        dbt, session,
        int_ml_retrain=dbt.ref("int_ml_retrain"),
        int_purchase_histories=dbt.ref("int_purchase_histories"),
        int_snapshot_dates=dbt.ref("int_snapshot_dates")))
