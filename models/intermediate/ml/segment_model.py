"""The fitted segmentation (k from segment_diagnostics, named segments), trained when int_ml_retrain says so."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import segment_model


def model(dbt, session):
    return segment_model(DbtDuckDBTables(
        dbt, session,
        run_settings=dbt.ref("run_settings"),
        int_customer_features=dbt.ref("int_customer_features"),
        int_ml_retrain=dbt.ref("int_ml_retrain"),
        segment_diagnostics=dbt.ref("segment_diagnostics")))
