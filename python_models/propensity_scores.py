"""Propensity to order within the horizon for every customer, from features as of as_of_date."""

from engagement_radar.ml.propensity import score
from engagement_radar.ml.training_data import load_model, snapshot_frame


def model(dbt, session):
    dbt.config(materialized="table")
    frame = snapshot_frame(
        dbt.ref("int_customer_features"), dbt.ref("int_customer_clusters"), dbt.ref("segment_profiles"), "score"
    )
    fitted = load_model(dbt.ref("propensity_model"))
    return score(frame, fitted)
