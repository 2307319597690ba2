"""Customer segmentation: engineered features, robust scaling with outliers flagged, PCA, KMeans.

k is chosen over a range by the mean silhouette on a seeded sample; every k's scores are kept.
Clusters are named from their profiles by rules, never by hand.
"""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import RobustScaler

from .frames import frame_fingerprint, seeded_sample, single_threaded

# Features the clustering sees, engineered from the customer feature table.
SEGMENT_FEATURES = ("engagement_rate", "order_rate", "log_average_order_value", "discount_share", "quiet_share")
# The columns of the customer feature table they are engineered from.
SEGMENT_INPUTS = ("tenure_days", "frequency", "average_order_value", "discount_share", "active_engagements_90d",
                  "days_since_last_engagement", "monetary", "engagement_score", "days_since_last_order")
# A value further than this many robust units (IQRs) from the median is clipped, and the customer flagged.
OUTLIER_LIMIT = 5.0

# Below this many customers there is nothing to cluster: everyone is one segment.
MIN_CUSTOMERS = 50
SINGLE_SEGMENT_NAME = "All customers"


def order_value_fill(features: pd.DataFrame) -> float:
    """The log order value given to customers without orders: the median buyer's, in the frame fitted on."""
    bought = features["frequency"] > 0
    return float(np.log1p(features.loc[bought, "average_order_value"].astype(float)).median()) if bought.any() else 0.0


def engineer_features(features: pd.DataFrame, aov_fill: float | None = None) -> pd.DataFrame:
    """Per-customer behaviour rates that do not depend on how long ago the customer signed up. Customers without
    orders get aov_fill as their log order value (default: the median buyer's in this frame), so they do not form
    a cluster of zeros; a fitted segmenter passes the value from its training snapshot."""
    tenure = features["tenure_days"].clip(lower=1).astype(float)
    bought = features["frequency"] > 0
    log_aov = np.log1p(features["average_order_value"].astype(float).where(bought))
    aov_fill = order_value_fill(features) if aov_fill is None else aov_fill
    engineered = pd.DataFrame({
        # active engagements per 30 days over the last 90 days (or the tenure, if shorter)
        "engagement_rate": np.log1p(features["active_engagements_90d"] / np.minimum(tenure, 90) * 30),
        # orders per 30 days since signup (at least 30 days, so a first-week order does not explode it)
        "order_rate": np.log1p(features["frequency"] / np.maximum(tenure, 30) * 30),
        "log_average_order_value": log_aov.fillna(aov_fill),
        "discount_share": features["discount_share"].astype(float),
        # share of their life since the last active engagement: near 1 for customers who went quiet
        "quiet_share": (features["days_since_last_engagement"] / tenure).clip(0, 1),
    }, index=features.index)
    return engineered.astype(float)


@dataclass
class Segmenter:
    scaler: RobustScaler
    pca: PCA
    kmeans: KMeans
    aov_fill: float = 0.0

    def assign_customers(self, features: pd.DataFrame) -> pd.DataFrame:
        """Assigns customers of any snapshot with what was learned from the training snapshot only."""
        return self.assign(engineer_features(features, self.aov_fill))

    def scaled(self, engineered: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        raw = self.scaler.transform(engineered[list(SEGMENT_FEATURES)].to_numpy())
        is_outlier = (np.abs(raw) > OUTLIER_LIMIT).any(axis=1)
        return np.clip(raw, -OUTLIER_LIMIT, OUTLIER_LIMIT), is_outlier

    @single_threaded
    def assign(self, engineered: pd.DataFrame) -> pd.DataFrame:
        scaled, is_outlier = self.scaled(engineered)
        components = self.pca.transform(scaled)
        return pd.DataFrame({
            "cluster_id": self.kmeans.predict(components).astype(np.int32),
            "pc1": components[:, 0],
            "pc2": components[:, 1] if components.shape[1] > 1 else 0.0,
            "is_outlier": is_outlier,
        }, index=engineered.index)


class SingleSegment:
    """The segmenter for too few customers: everyone in cluster 0."""

    def assign_customers(self, features: pd.DataFrame) -> pd.DataFrame:
        return self.assign(features)

    def assign(self, engineered: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"cluster_id": np.zeros(len(engineered), dtype=np.int32), "pc1": 0.0, "pc2": 0.0,
                             "is_outlier": False}, index=engineered.index)


def _prepare(engineered: pd.DataFrame, seed: int) -> tuple[RobustScaler, PCA, np.ndarray]:
    scaler = RobustScaler().fit(engineered[list(SEGMENT_FEATURES)].to_numpy())
    scaled = np.clip(scaler.transform(engineered[list(SEGMENT_FEATURES)].to_numpy()), -OUTLIER_LIMIT, OUTLIER_LIMIT)
    pca = PCA(n_components=0.95, svd_solver="full", random_state=seed).fit(scaled)
    if pca.n_components_ < 2:
        pca = PCA(n_components=min(2, scaled.shape[1]), svd_solver="full", random_state=seed).fit(scaled)
    return scaler, pca, pca.transform(scaled)


# customers the choice of k is made on (a seeded sample); the chosen k is fitted on all of them
K_SELECTION_ROWS = 20_000


def _kmeans(k: int, seed: int) -> KMeans:
    return KMeans(n_clusters=k, n_init=10, random_state=seed)


@single_threaded
def choose_k(engineered: pd.DataFrame, k_min: int, k_max: int, sample_size: int, seed: int,
             fit_rows: int = K_SELECTION_ROWS) -> pd.DataFrame:
    """Fits KMeans for every k in [k_min, k_max] on a seeded sample of at most fit_rows customers (the choice of k
    does not need them all; the chosen k is then fitted on everyone); returns one row per k with the silhouette on
    a seeded sample of sample_size of them (higher is better), the inertia scaled to all customers (for an elbow
    chart) and which k was chosen (the best silhouette)."""
    if k_min < 2 or k_max < k_min:
        raise ValueError("need 2 <= k_min <= k_max")
    if len(engineered) < MIN_CUSTOMERS:
        return pd.DataFrame([{"k": 1, "silhouette": float("nan"), "inertia": float("nan"),
                              "smallest_cluster_share": 1.0, "is_chosen": True, "sample_size": len(engineered)}])
    _, _, components = _prepare(engineered, seed)
    n = len(components)
    rng = np.random.default_rng(seed)
    fitted_on = components[np.sort(rng.choice(n, size=min(fit_rows, n), replace=False))]
    m = len(fitted_on)
    sample = np.sort(rng.choice(m, size=min(sample_size, m), replace=False))
    rows = []
    for k in range(k_min, min(k_max, m - 1) + 1):
        model = _kmeans(k, seed).fit(fitted_on)
        labels = model.labels_[sample]
        silhouette = silhouette_score(fitted_on[sample], labels) if len(set(labels)) > 1 else -1.0
        rows.append({"k": k, "silhouette": float(silhouette), "inertia": float(model.inertia_) * n / m,
                     "smallest_cluster_share": float(np.bincount(model.labels_).min() / m)})
    diagnostics = pd.DataFrame(rows)
    diagnostics["is_chosen"] = diagnostics["k"] == int(diagnostics.loc[diagnostics["silhouette"].idxmax(), "k"])
    diagnostics["sample_size"] = len(sample)
    return diagnostics


@single_threaded
def fit_segmenter(engineered: pd.DataFrame, k: int, seed: int) -> Segmenter:
    scaler, pca, components = _prepare(engineered, seed)
    return Segmenter(scaler, pca, _kmeans(k, seed).fit(components))


def profile_segments(features: pd.DataFrame, engineered: pd.DataFrame, assignments: pd.DataFrame) -> pd.DataFrame:
    """One row per cluster: size, revenue share, and the cluster's mean of each feature (its centroid, in the
    units analysts know)."""
    frame = pd.concat([features[["monetary", "frequency", "average_order_value", "discount_share",
                                 "engagement_score", "days_since_last_order", "days_since_last_engagement",
                                 "tenure_days"]].astype(float),
                       engineered[["engagement_rate", "order_rate", "quiet_share"]], assignments[["cluster_id"]]],
                      axis=1)
    grouped = frame.groupby("cluster_id")
    profiles = grouped.mean().add_prefix("mean_")
    profiles.insert(0, "customers", grouped.size())
    profiles.insert(1, "customer_share", profiles["customers"] / len(frame))
    total_revenue = frame["monetary"].sum()
    profiles.insert(2, "revenue_share", grouped["monetary"].sum() / total_revenue if total_revenue else 0.0)
    profiles.insert(3, "purchaser_share", grouped["frequency"].apply(lambda s: float((s > 0).mean())))
    return profiles.reset_index()


def name_segments(profiles: pd.DataFrame, discount_share_threshold: float = 0.08,
                  dormant_quiet_share: float = 0.35) -> pd.Series:
    """Names each cluster from its profile, one rule at a time, each name used once. The names are the personas'
    own, apart from the rule-based value segments of customer_rfm (High-Value Active ...), so a customer is never
    'High-Value Active' in one and 'At-Risk / Dormant' in the other:
    1. Deal Seekers: the cluster with the highest mean discount share, if it is at least the threshold.
    2. Champions: of the rest, the highest mean net revenue per customer among clusters whose members
       engage at least as often as the average customer.
    3. Drifting Away: of the rest, the highest quiet share (time since the last active engagement over
       tenure), if it is at least dormant_quiet_share.
    4. Light Users: of the rest, the lowest engagement rate.
    Any cluster left is named 'Mainstream', numbered when there are several. Returns names indexed by cluster_id."""
    if len(profiles) == 1:
        return pd.Series({int(profiles["cluster_id"].iloc[0]): SINGLE_SEGMENT_NAME}, name="cluster_name")
    remaining = profiles.set_index("cluster_id")
    names: dict[int, str] = {}
    overall_engagement = float((profiles["mean_engagement_rate"] * profiles["customers"]).sum()
                               / profiles["customers"].sum())

    def take(candidates: pd.DataFrame, column: str, name: str, largest: bool = True):
        nonlocal remaining
        if candidates.empty:
            return
        cluster = candidates[column].idxmax() if largest else candidates[column].idxmin()
        names[int(cluster)] = name
        remaining = remaining.drop(index=cluster)

    take(remaining[remaining["mean_discount_share"] >= discount_share_threshold], "mean_discount_share",
         "Deal Seekers")
    take(remaining[remaining["mean_engagement_rate"] >= overall_engagement], "mean_monetary", "Champions")
    take(remaining[remaining["mean_quiet_share"] >= dormant_quiet_share], "mean_quiet_share", "Drifting Away")
    take(remaining, "mean_engagement_rate", "Light Users", largest=False)
    leftovers = list(remaining.sort_values("mean_monetary", ascending=False).index)
    for position, cluster in enumerate(leftovers, start=1):
        names[int(cluster)] = "Mainstream" if len(leftovers) == 1 else f"Mainstream {position}"
    return pd.Series(names, name="cluster_name").sort_index()


def segment(features: pd.DataFrame, k: int, seed: int, max_training_rows: int):
    """Fits on (a seeded sample of) the given snapshot's customers; returns the segmenter and its assignments.
    With k = 1 or fewer than MIN_CUSTOMERS customers, everyone is one segment."""
    if k < 2 or len(features) < MIN_CUSTOMERS:
        segmenter = SingleSegment()
    else:
        aov_fill = order_value_fill(features)
        training = seeded_sample(features, max_training_rows, seed)
        segmenter = fit_segmenter(engineer_features(training, aov_fill), k, seed)
        segmenter.aov_fill = aov_fill
    return segmenter, segmenter.assign_customers(features)


@dataclass
class SegmentModel:
    """A fitted segmentation and its segment names, stored between trainings (segment_model)."""
    segmenter: object
    names: dict[int, str]
    k: int

    def to_bytes(self) -> bytes:
        return pickle.dumps(self, protocol=5)

    @staticmethod
    def from_bytes(blob: bytes) -> SegmentModel:
        return pickle.loads(blob)


def fit_segment_model(features: pd.DataFrame, k: int, seed: int, max_training_rows: int,
                      discount_share_threshold: float) -> SegmentModel:
    """Fits on the training snapshot's customers and names the segments from their profiles there, so the names
    stay the same for as long as the model scores new data."""
    segmenter, assigned = segment(features, k, seed, max_training_rows)
    profiles = profile_segments(features, engineer_features(features), assigned[["cluster_id"]])
    names = name_segments(profiles, discount_share_threshold=discount_share_threshold)
    return SegmentModel(segmenter, {int(cluster): str(name) for cluster, name in names.items()}, k)


def segment_model_table(model: SegmentModel, features: pd.DataFrame, seed: int, plan) -> pd.DataFrame:
    """The one row of segment_model: an id from the training data, k, when and on what it was trained, the pickle."""
    model_id = frame_fingerprint(pd.concat([features[["customer_id", *SEGMENT_INPUTS]],
                                            pd.Series([model.k, seed], name="settings")], axis=1))[:16]
    return pd.DataFrame([{
        "segment_model_id": model_id, "k": model.k, "segment_names": json.dumps(model.names, sort_keys=True),
        "trained_at": plan.decided_at, "training_as_of_date": plan.as_of_date,
        "train_snapshot_date": features["snapshot_date"].iloc[0] if len(features) else None,
        "training_customers": len(features), "seed": seed, "model_pickle": model.to_bytes(),
    }])


def stored_segment_model(stored: pd.DataFrame) -> tuple[SegmentModel, str]:
    """The SegmentModel of the one row of segment_model, and its id."""
    row = stored.iloc[0]
    return SegmentModel.from_bytes(bytes(row["model_pickle"])), str(row["segment_model_id"])


def assign_with_stored_model(features: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """Every customer of every snapshot in features with its cluster from the stored segmentation."""
    fitted, model_id = stored_segment_model(stored)
    features = features.reset_index(drop=True)
    assigned = fitted.segmenter.assign_customers(features)
    table = pd.concat([features[["customer_id", "snapshot", "snapshot_date"]], assigned], axis=1)
    table["segment_model_id"] = model_id
    return table


def profiles_at_scoring(features: pd.DataFrame, clusters: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """segment_profiles: the profile of each segment at the scoring snapshot, with its stored name."""
    fitted, model_id = stored_segment_model(stored)
    features = features.merge(clusters[["customer_id", "cluster_id"]], on="customer_id", validate="1:1")
    profiles = profile_segments(features, engineer_features(features), features[["cluster_id"]])
    profiles.insert(1, "segment_name", profiles["cluster_id"].map(
        lambda cluster: fitted.names.get(int(cluster), f"Segment {cluster}")))
    profiles["segment_model_id"] = model_id
    return profiles
