"""How k was chosen: silhouette and inertia per k tried (computed on retrain)."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import segment_diagnostics


def model(dbt, session):
    return segment_diagnostics(DbtDuckDBTables(
        dbt, session,
        run_settings=dbt.ref("run_settings"),
        int_customer_features=dbt.ref("int_customer_features"),
        int_ml_retrain=dbt.ref("int_ml_retrain")))
