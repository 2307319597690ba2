"""Propensity to order within the horizon for every customer, from features as of as_of_date, by the stored model
(propensity_model), named in every row."""

from engagement_radar.ml.propensity import score, with_model_columns
from engagement_radar.ml.training_data import load_model, model_row, snapshot_frame


def model(dbt, session):
    dbt.config(materialized="table")
    frame = snapshot_frame(dbt.ref("int_customer_features"), dbt.ref("int_customer_clusters"),
                           dbt.ref("segment_profiles"), "score")
    fitted = load_model(dbt.ref("propensity_model"))
    return with_model_columns(score(frame, fitted), model_row(dbt.ref("propensity_model")))
