"""Every purchaser's P(alive), expected purchases, chance of a purchase in the horizon and lifetime value at each
snapshot of this run (int_snapshot_dates) by that snapshot's fit in btyd_model - for 'score', the fit stored when the
models last trained. The ML features read them (int_customer_features); the 'score' snapshot is published, with its
contract, as customer_lifetime_value."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import btyd_scores


def model(dbt, session):
    dbt.config(materialized="table")
    return btyd_scores(DbtDuckDBTables(
        dbt, session,
        # the settings it reads, each named here: dbt passes a Python model only the config keys it asks for
        settings={
            "propensity_horizon_days": dbt.config.get("propensity_horizon_days"),
            "clv_horizon_days": dbt.config.get("clv_horizon_days"),
            "clv_annual_discount_rate": dbt.config.get("clv_annual_discount_rate")},
        btyd_model=dbt.ref("btyd_model"),
        int_purchase_histories=dbt.ref("int_purchase_histories"),
        int_snapshot_dates=dbt.ref("int_snapshot_dates")))
