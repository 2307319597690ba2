"""One row per segment at the scoring snapshot: size, revenue share, centroid, and a name from the profile."""

from engagement_radar.ml.frames import to_frame
from engagement_radar.ml.segmentation import engineer_features, name_segments, profile_segments


def model(dbt, session):
    dbt.config(materialized="table")
    features = to_frame(
        dbt.ref("int_customer_features").filter("snapshot = 'score'").order("customer_id").fetch_arrow_table()
    )
    clusters = to_frame(dbt.ref("int_customer_clusters").filter("snapshot = 'score'").fetch_arrow_table())
    features = features.merge(clusters[["customer_id", "cluster_id"]], on="customer_id", validate="1:1")
    profiles = profile_segments(features, engineer_features(features), features[["cluster_id"]])
    names = name_segments(profiles, discount_share_threshold=float(dbt.config.get("discount_driven_share")))
    profiles.insert(1, "segment_name", profiles["cluster_id"].map(names))
    return profiles
