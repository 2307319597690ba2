"""Per numeric feature of the propensity model: its range on the customers the stored model learned from, and the
share of today's scored customers outside it (trees cannot extrapolate). Every run, with the stored model."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import propensity_feature_ranges


def model(dbt, session):
    dbt.config(materialized="table")
    return propensity_feature_ranges(DbtDuckDBTables(
        dbt, session,
        int_customer_clusters=dbt.ref("int_customer_clusters"),
        int_customer_features=dbt.ref("int_customer_features"),
        propensity_model=dbt.ref("propensity_model"),
        segment_profiles=dbt.ref("segment_profiles")))
