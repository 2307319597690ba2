"""Every customer's segment at each snapshot, by the stored segmentation (segment_model)."""

from engagement_radar.ml.engines import DbtDuckDBTables
from engagement_radar.ml.steps import int_customer_clusters


def model(dbt, session):
    return int_customer_clusters(DbtDuckDBTables(
        dbt, session,
        int_customer_features=dbt.ref("int_customer_features"),
        segment_model=dbt.ref("segment_model")))
