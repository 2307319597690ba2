"""One row per segment at the scoring snapshot: size, revenue share, centroid, and the name the segment was given
when the segmentation was trained."""

from engagement_radar.ml.frames import to_frame
from engagement_radar.ml.segmentation import profiles_at_scoring


def model(dbt, session):
    dbt.config(materialized="table")
    features = to_frame(dbt.ref("int_customer_features").filter("snapshot = 'score'").order("customer_id")
                        .fetch_arrow_table())
    clusters = to_frame(dbt.ref("int_customer_clusters").filter("snapshot = 'score'").fetch_arrow_table())
    return profiles_at_scoring(features, clusters, to_frame(dbt.ref("segment_model").fetch_arrow_table()))
