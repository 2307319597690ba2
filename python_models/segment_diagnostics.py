"""k selection for the customer segmentation: one row per k tried, with its silhouette and inertia. Computed when
the models train (int_ml_retrain); otherwise the table stays as it was."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import segment_diagnostics


def model(dbt, session):
    dbt.config(materialized="table")
    return segment_diagnostics(DbtDuckDBTables(
        dbt, session,
        # the settings it reads, each named here: dbt passes a Python model only the config keys it asks for
        settings={
            "segment_k_min": dbt.config.get("segment_k_min"),
            "segment_k_max": dbt.config.get("segment_k_max"),
            "segment_silhouette_sample": dbt.config.get("segment_silhouette_sample"),
            "ml_seed": dbt.config.get("ml_seed")},
        int_customer_features=dbt.ref("int_customer_features"),
        int_ml_retrain=dbt.ref("int_ml_retrain")))
