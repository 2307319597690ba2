"""Permutation importance of each feature on the held-out customers (drop in ROC-AUC). Computed when the models
train (int_ml_retrain); otherwise the table stays as it was."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import propensity_feature_importance


def model(dbt, session):
    dbt.config(materialized="table")
    return propensity_feature_importance(DbtDuckDBTables(
        dbt, session,
        # the settings it reads, each named here: dbt passes a Python model only the config keys it asks for
        settings={
            "ml_seed": dbt.config.get("ml_seed"),
            "ml_importance_sample_rows": dbt.config.get("ml_importance_sample_rows")},
        int_customer_clusters=dbt.ref("int_customer_clusters"),
        int_customer_features=dbt.ref("int_customer_features"),
        int_ml_retrain=dbt.ref("int_ml_retrain"),
        propensity_model=dbt.ref("propensity_model"),
        segment_profiles=dbt.ref("segment_profiles")))
