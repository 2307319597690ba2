"""Held-out metrics of the propensity model next to its two baselines, one row per model."""

from engagement_radar.ml.propensity import metrics
from engagement_radar.ml.training_data import load_model, snapshot_frame


def model(dbt, session):
    dbt.config(materialized="table")
    frame = snapshot_frame(
        dbt.ref("int_customer_features"), dbt.ref("int_customer_clusters"), dbt.ref("segment_profiles"), "train"
    )
    fitted = load_model(dbt.ref("propensity_model"))
    return metrics(frame, fitted)
