"""Held-out metrics of the propensity model next to its two baselines, one row per model.
Computed when the models train (int_ml_retrain); otherwise the table stays as it was."""

from engagement_radar.ml.propensity import metrics, with_model_columns
from engagement_radar.ml.runs import kept_or_trained
from engagement_radar.ml.training_data import load_model, model_row, snapshot_frame


def model(dbt, session):
    dbt.config(materialized="table")
    def train():
        frame = snapshot_frame(dbt.ref("int_customer_features"), dbt.ref("int_customer_clusters"),
                               dbt.ref("segment_profiles"), "train")
        fitted = load_model(dbt.ref("propensity_model"))
        return with_model_columns(metrics(frame, fitted), model_row(dbt.ref("propensity_model")))
    return kept_or_trained(dbt, session, dbt.ref("int_ml_retrain"), train)
