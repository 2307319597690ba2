"""The segment of every customer at each snapshot of int_customer_features (the scoring snapshot, and the training
snapshot when the models train), assigned by the stored segmentation (segment_model), which learned from the
training snapshot alone: the propensity model's segment feature never sees data after its snapshot date."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import int_customer_clusters


def model(dbt, session):
    dbt.config(materialized="table")
    return int_customer_clusters(DbtDuckDBTables(
        dbt, session,
        int_customer_features=dbt.ref("int_customer_features"),
        segment_model=dbt.ref("segment_model")))
