"""Permutation importance of each feature on the held-out customers (drop in ROC-AUC). Computed when the models
train (int_ml_retrain); otherwise the table stays as it was."""

from engagement_radar.ml.propensity import permutation_importance, with_model_columns
from engagement_radar.ml.runs import kept_or_trained
from engagement_radar.ml.training_data import load_model, model_row, snapshot_frame


def model(dbt, session):
    dbt.config(materialized="table")
    def train():
        frame = snapshot_frame(dbt.ref("int_customer_features"), dbt.ref("int_customer_clusters"),
                               dbt.ref("segment_profiles"), "train")
        fitted = load_model(dbt.ref("propensity_model"))
        importance = permutation_importance(frame, fitted, seed=int(dbt.config.get("ml_seed")),
                                            max_rows=int(dbt.config.get("ml_importance_sample_rows")))
        return with_model_columns(importance, model_row(dbt.ref("propensity_model")))
    return kept_or_trained(dbt, session, dbt.ref("int_ml_retrain"), train)
