"""The trained propensity model for var('propensity_target'): one row with its metadata and the fitted model (pickled),
trained on the stacked
training snapshots when the models train (int_ml_retrain) and kept in between. When the data cannot support a model
(too few customers, or everyone or no one ordered), the row says why and holds no model. The backtest (the same
models trained one horizon earlier, scored on the training snapshot's outcomes) chooses which model propensity_scores
ships."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import propensity_model


def model(dbt, session):
    dbt.config(materialized="table")
    return propensity_model(DbtDuckDBTables(
        dbt, session,
        # the settings it reads, each named here: dbt passes a Python model only the config keys it asks for
        settings={
            "ml_seed": dbt.config.get("ml_seed"),
            "propensity_holdout_share": dbt.config.get("propensity_holdout_share"),
            "ml_max_training_rows": dbt.config.get("ml_max_training_rows"),
            "propensity_presence_auc_limit": dbt.config.get("propensity_presence_auc_limit"),
            "propensity_horizon_days": dbt.config.get("propensity_horizon_days"),
            "propensity_target": dbt.config.get("propensity_target")},
        int_customer_clusters=dbt.ref("int_customer_clusters"),
        int_customer_features=dbt.ref("int_customer_features"),
        int_ml_retrain=dbt.ref("int_ml_retrain"),
        segment_profiles=dbt.ref("segment_profiles")))
