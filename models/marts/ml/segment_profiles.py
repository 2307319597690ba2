"""One row per segment at the scoring snapshot: size, revenue share, centroid and name."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import segment_profiles


def model(dbt, session):
    return segment_profiles(DbtDuckDBTables(
        dbt, session,
        int_customer_clusters=dbt.ref("int_customer_clusters"),
        int_customer_features=dbt.ref("int_customer_features"),
        segment_model=dbt.ref("segment_model")))
