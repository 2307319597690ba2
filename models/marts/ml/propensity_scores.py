"""Every customer's propensity at as_of_date from the shipped model, with its decile and model id."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import propensity_scores


def model(dbt, session):
    return propensity_scores(DbtDuckDBTables(
        dbt, session,
        int_customer_clusters=dbt.ref("int_customer_clusters"),
        int_customer_features=dbt.ref("int_customer_features"),
        propensity_model=dbt.ref("propensity_model"),
        segment_profiles=dbt.ref("segment_profiles")))
