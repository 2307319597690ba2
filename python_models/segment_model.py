"""The fitted segmentation (k from segment_diagnostics) and its segment names, fitted on the training snapshot when
the models train (int_ml_retrain) and stored, pickled, for the runs in between."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import segment_model


def model(dbt, session):
    dbt.config(materialized="table")
    return segment_model(DbtDuckDBTables(
        dbt, session,
        # the settings it reads, each named here: dbt passes a Python model only the config keys it asks for
        settings={
            "ml_seed": dbt.config.get("ml_seed"),
            "ml_max_training_rows": dbt.config.get("ml_max_training_rows"),
            "discount_driven_share": dbt.config.get("discount_driven_share")},
        int_customer_features=dbt.ref("int_customer_features"),
        int_ml_retrain=dbt.ref("int_ml_retrain"),
        segment_diagnostics=dbt.ref("segment_diagnostics")))
