"""Held-out customers in deciles of propensity: the gains and lift chart (computed on retrain)."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import propensity_gains


def model(dbt, session):
    return propensity_gains(DbtDuckDBTables(
        dbt, session,
        int_customer_clusters=dbt.ref("int_customer_clusters"),
        int_customer_features=dbt.ref("int_customer_features"),
        int_ml_retrain=dbt.ref("int_ml_retrain"),
        propensity_model=dbt.ref("propensity_model"),
        segment_profiles=dbt.ref("segment_profiles")))
