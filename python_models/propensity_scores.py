"""Propensity to order within the horizon for every customer, from features as of as_of_date, by the stored model
(propensity_model), named in every row."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import propensity_scores


def model(dbt, session):
    dbt.config(materialized="table")
    return propensity_scores(DbtDuckDBTables(
        dbt, session,
        int_customer_clusters=dbt.ref("int_customer_clusters"),
        int_customer_features=dbt.ref("int_customer_features"),
        propensity_model=dbt.ref("propensity_model"),
        segment_profiles=dbt.ref("segment_profiles")))
