"""Permutation importance of each feature on the held-out customers (drop in ROC-AUC)."""

from engagement_radar.ml.propensity import permutation_importance
from engagement_radar.ml.training_data import load_model, snapshot_frame


def model(dbt, session):
    dbt.config(materialized="table")
    frame = snapshot_frame(
        dbt.ref("int_customer_features"), dbt.ref("int_customer_clusters"), dbt.ref("segment_profiles"), "train"
    )
    fitted = load_model(dbt.ref("propensity_model"))
    return permutation_importance(frame, fitted, seed=int(dbt.config.get("ml_seed")),
                                  max_rows=int(dbt.config.get("ml_importance_sample_rows")))
