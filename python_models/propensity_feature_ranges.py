"""Per numeric feature of the propensity model: its range on the customers the stored model learned from, and the
share of today's scored customers outside it (trees cannot extrapolate). Every run, with the stored model."""

from engagement_radar.ml.propensity import feature_ranges, with_model_columns
from engagement_radar.ml.training_data import load_model, model_row, snapshot_frame


def model(dbt, session):
    dbt.config(materialized="table")
    frame = snapshot_frame(dbt.ref("int_customer_features"), dbt.ref("int_customer_clusters"),
                           dbt.ref("segment_profiles"), "score")
    fitted = load_model(dbt.ref("propensity_model"))
    return with_model_columns(feature_ranges(frame, fitted), model_row(dbt.ref("propensity_model")))
