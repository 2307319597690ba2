"""The propensity model for var('propensity_target'), trained when int_ml_retrain says so, else kept."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import propensity_model


def model(dbt, session):
    return propensity_model(DbtDuckDBTables(
        dbt, session,
        run_settings=dbt.ref("run_settings"),
        int_customer_clusters=dbt.ref("int_customer_clusters"),
        int_customer_features=dbt.ref("int_customer_features"),
        int_ml_retrain=dbt.ref("int_ml_retrain"),
        segment_profiles=dbt.ref("segment_profiles")))
