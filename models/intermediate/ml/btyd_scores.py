"""Every purchaser's P(alive), expected purchases and lifetime value at each snapshot, by btyd_model's fits."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import btyd_scores


def model(dbt, session):
    return btyd_scores(DbtDuckDBTables(
        dbt, session,
        run_settings=dbt.ref("run_settings"),
        btyd_model=dbt.ref("btyd_model"),
        int_purchase_histories=dbt.ref("int_purchase_histories"),
        int_snapshot_dates=dbt.ref("int_snapshot_dates")))
