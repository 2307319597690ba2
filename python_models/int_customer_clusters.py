"""The segment of every customer at each snapshot of int_customer_features (the scoring snapshot, and the training
snapshot when the models train), assigned by the stored segmentation (segment_model), which learned from the
training snapshot alone: the propensity model's segment feature never sees data after its snapshot date."""

from engagement_radar.ml.frames import to_frame
from engagement_radar.ml.segmentation import assign_with_stored_model


def model(dbt, session):
    dbt.config(materialized="table")
    features = to_frame(dbt.ref("int_customer_features").order("snapshot, customer_id").fetch_arrow_table())
    stored = to_frame(dbt.ref("segment_model").fetch_arrow_table())
    return assign_with_stored_model(features, stored)
