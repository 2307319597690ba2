"""Held-out customers in deciles of propensity: the gains and lift chart."""

from engagement_radar.ml.propensity import gains
from engagement_radar.ml.training_data import load_model, snapshot_frame


def model(dbt, session):
    dbt.config(materialized="table")
    frame = snapshot_frame(
        dbt.ref("int_customer_features"), dbt.ref("int_customer_clusters"), dbt.ref("segment_profiles"), "train"
    )
    fitted = load_model(dbt.ref("propensity_model"))
    return gains(frame, fitted)
