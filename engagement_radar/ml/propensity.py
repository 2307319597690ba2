"""Point-in-time propensity: gradient boosting with the segment as a feature, next to three baselines.

The package does not know which outcome it predicts: the label (target_in_horizon) comes from the label model of
var('propensity_target') - an order, a campaign response, a plan upgrade - and the tables name the target.

Training customers are split by a hash of their id (so the split never depends on row order) into a fitting
set, a calibration set (Platt scaling of the scores and the decision threshold) and a held-out set that is used
for nothing but the reported metrics. Every model, the baselines included, is calibrated and thresholded the same
way, so the comparison is fair.
"""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.class_weight import compute_sample_weight

from .frames import frame_fingerprint, seeded_sample, single_threaded, stable_fraction

# The numeric features every feature frame has; numeric_features() adds those the seed channel_event_weights decides.
FIXED_NUMERIC_FEATURES = (
    "tenure_days", "frequency", "monetary", "average_order_value", "discount_share", "days_since_last_order",
    "orders_90d", "net_revenue_90d", "purchase_age_days", "repeat_purchases", "purchases_per_day_of_age",
    "quiet_share_of_age", "days_since_last_order_per_gap", "log_monetary", "log_average_order_value",
    "btyd_p_alive", "btyd_expected_purchases", "btyd_probability_of_purchase",
    "engagement_score", "engagement_trend", "days_since_last_engagement",
    "active_engagements_30d", "active_engagements_90d", "clicks_90d", "registrations_90d", "attendances_90d",
    *(f"{signal}_{low}_{high}d" for signal in ("active_user_days", "support_sessions")
      for low, high in ((0, 29), (30, 59), (60, 89))),
)
CATEGORICAL_FEATURES = ("plan", "territory", "industry", "company_size", "segment")


def numeric_features(columns) -> list[str]:
    """The numeric features of a feature frame (int_customer_features): the fixed ones, then the score of every
    channel group (<group>_score) and the impressions of every social network by lag (<network>_impressions_<lag>),
    as the seed channel_event_weights lists them - a group added to the seed becomes a feature without an edit."""
    fixed = set(FIXED_NUMERIC_FEATURES)
    by_seed = [name for name in columns if name not in fixed
               and (name.endswith("_score") or "_impressions_" in name)]
    return [*FIXED_NUMERIC_FEATURES, *by_seed]
LABEL = "target_in_horizon"
MODELS = ("gradient_boosting", "logistic_regression", "bg_nbd", "recency_rule")
MODEL_LABELS = {"gradient_boosting": "Gradient boosting (with segments)",
                "logistic_regression": "Logistic regression (baseline)",
                "bg_nbd": "BG/NBD chance of a purchase (baseline)",
                "recency_rule": "Days since last order (baseline)"}
CALIBRATION_SHARE = 0.25
# the attributes whose presence (a value other than 'unknown') the leakage guard checks
GUARDED_ATTRIBUTES = ("plan", "territory", "industry", "company_size")
PRESENCE_AUC_LIMIT = 0.8
TOP_SHARE = 0.2
# Fewer training customers than this, or a split without both outcomes: no model is trained, and the tables say why.
MIN_TRAINING_CUSTOMERS = 200


class PlattCalibrator:
    """Maps a score to a probability with a logistic curve fitted on the calibration set (Platt scaling). It is
    strictly increasing, so it keeps the ranking (and the ROC-AUC) and never claims certainty (0 or 1)."""

    def __init__(self, score_is_probability: bool):
        self.score_is_probability = score_is_probability

    def _feature(self, score: np.ndarray) -> np.ndarray:
        score = np.asarray(score, dtype=float)
        if self.score_is_probability:
            clipped = np.clip(score, 1e-6, 1 - 1e-6)
            return np.log(clipped / (1 - clipped))[:, None]
        return ((score - self.center) / self.scale)[:, None]

    def fit(self, score: np.ndarray, y: np.ndarray) -> PlattCalibrator:
        score = np.asarray(score, dtype=float)
        self.center, self.scale = float(np.mean(score)), float(np.std(score) or 1.0)
        self.model = LogisticRegression(C=1e6, max_iter=1000).fit(self._feature(score), y)
        return self

    def predict(self, score: np.ndarray) -> np.ndarray:
        return self.model.predict_proba(self._feature(score))[:, 1]


def roles(customer_ids: pd.Series, holdout_share: float, seed: int) -> np.ndarray:
    """'holdout', 'calibrate' or 'fit' per customer, from a hash of the id and the seed."""
    holdout = stable_fraction(customer_ids, f"holdout-{seed}") < holdout_share
    calibrate = stable_fraction(customer_ids, f"calibrate-{seed}") < CALIBRATION_SHARE
    return np.where(holdout, "holdout", np.where(calibrate, "calibrate", "fit"))


@dataclass
class PropensityModel:
    numeric: list
    categories: dict
    gradient_boosting: BalancedBoosting
    logistic_regression: object
    calibrators: dict
    thresholds: dict
    metadata: dict = field(default_factory=dict)

    @property
    def feature_names(self) -> list[str]:
        return list(self.numeric) + [f"{name}={value}" for name, values in self.categories.items()
                                     for value in values]

    def matrix(self, frame: pd.DataFrame) -> np.ndarray:
        numeric = frame[list(self.numeric)].astype(float).to_numpy()
        encoded = [(frame[name].astype(str).to_numpy()[:, None] == np.array(values, dtype=object)[None, :])
                   for name, values in self.categories.items()]
        return np.hstack([numeric, *encoded]).astype(float)

    def raw_scores(self, frame: pd.DataFrame, model: str, matrix: np.ndarray | None = None) -> np.ndarray:
        if model == "recency_rule":
            return -frame["days_since_last_order"].astype(float).to_numpy()
        if model == "bg_nbd":
            return frame["btyd_probability_of_purchase"].astype(float).to_numpy()
        matrix = self.matrix(frame) if matrix is None else matrix
        return getattr(self, model).predict_proba(matrix)[:, 1]

    def predict(self, frame: pd.DataFrame, model: str = "gradient_boosting",
                matrix: np.ndarray | None = None) -> np.ndarray:
        """Calibrated probability of the target in the horizon."""
        return self.calibrators[model].predict(self.raw_scores(frame, model, matrix))

    def to_bytes(self) -> bytes:
        return pickle.dumps(self, protocol=5)

    @staticmethod
    def from_bytes(blob: bytes) -> PropensityModel:
        return pickle.loads(blob)


def best_f1_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The probability cut-off with the highest F1 (ties: the higher cut-off).

    Every distinct score is a candidate; the counts above each come from one sort, not a pass per candidate.
    """
    candidates = np.unique(p)
    positive = np.asarray(y) == 1
    predicted = len(p) - np.searchsorted(np.sort(p), candidates, side="left")
    true_positive = (positive.sum() - np.searchsorted(np.sort(p[positive]), candidates, side="left")).astype(float)
    denominator = predicted + positive.sum()
    f1 = np.divide(2 * true_positive, denominator, out=np.zeros(len(candidates)), where=true_positive > 0)
    best = len(candidates) - 1 - int(np.argmax(f1[::-1]))
    return float(candidates[best])


MAX_BINS = 255


def weighted_bin_edges(values: np.ndarray, weights: np.ndarray, max_bins: int = MAX_BINS) -> np.ndarray:
    """The upper edges of a feature's bins (a value v is in bin i when edges[i-1] < v <= edges[i]): the midpoints
    between its distinct values when it has at most max_bins of them, else its weighted quantiles - what
    scikit-learn's gradient boosting computes itself from sample weights, found here with one sort of the column
    (scikit-learn 1.9 sorts it again for each of the 254 quantiles: most of the training time below 200,000 rows).
    Missing values are left out (they get a bin of their own)."""
    present = ~np.isnan(values) & (weights > 0)
    values, weights = values[present], weights[present]
    order = np.argsort(values, kind="stable")
    values, weights = values[order], weights[order]
    distinct = values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values  # sorted: no second sort
    if len(distinct) <= 1:
        return np.empty(0)
    if len(distinct) <= max_bins:
        return (distinct[:-1] + distinct[1:]) / 2
    cumulative = np.cumsum(weights)
    targets = np.linspace(0, cumulative[-1], num=max_bins + 1)[1:-1]
    lower = values[np.minimum(np.searchsorted(cumulative, targets, side="left"), len(values) - 1)]
    upper = values[np.minimum(np.searchsorted(cumulative, targets, side="right"), len(values) - 1)]
    return np.unique((lower + upper) / 2)  # between the two values a quantile falls on, as "averaged" quantiles


class BalancedBoosting:
    """Gradient boosting with both classes weighted equally, however rare the positives. Each feature is binned
    first (weighted_bin_edges) and the boosting learns on the bin numbers, so its own binning has nothing left to
    sort; predict_proba bins the same way."""

    def __init__(self, seed: int):
        self.boosting = HistGradientBoostingClassifier(
            learning_rate=0.05, max_iter=200, max_leaf_nodes=7, min_samples_leaf=50, l2_regularization=1.0,
            max_bins=MAX_BINS, early_stopping=False, random_state=seed)
        self.edges: list[np.ndarray] = []

    def binned(self, x: np.ndarray) -> np.ndarray:
        codes = np.empty(x.shape, dtype=float)
        for column, edges in enumerate(self.edges):
            codes[:, column] = np.searchsorted(edges, x[:, column], side="left")
        codes[np.isnan(x)] = np.nan
        return codes

    def fit(self, x: np.ndarray, y: np.ndarray) -> BalancedBoosting:
        weights = compute_sample_weight("balanced", y)
        self.edges = [weighted_bin_edges(x[:, column], weights) for column in range(x.shape[1])]
        self.boosting.fit(self.binned(x), y, sample_weight=weights)
        return self

    # what walking the trees on bin numbers uses of scikit-learn's estimator (private: checked, not assumed)
    TREE_WALK = ("_bin_mapper", "_predict_iterations", "_predictors", "_baseline_prediction", "_loss")

    def encoded(self, x: np.ndarray) -> np.ndarray:
        """x as the trees read it: the boosting's own bin numbers, one byte a value (as while it fits). Should a
        scikit-learn release rename what predict_proba_encoded uses, the bin codes (floats) instead, which the
        public predict_proba reads."""
        codes = self.binned(x)
        if not all(hasattr(self.boosting, name) for name in self.TREE_WALK):
            return codes
        return self.boosting._bin_mapper.transform(codes)

    def predict_proba_encoded(self, encoded: np.ndarray) -> np.ndarray:
        """Probabilities of encoded() rows. Walking the trees on bin numbers takes a third of the time of the
        public predict_proba, which walks them on floats; the numbers are the same (tested)."""
        boosting = self.boosting
        if encoded.dtype != np.uint8:
            return boosting.predict_proba(encoded)
        raw = np.zeros((len(encoded), boosting.n_trees_per_iteration_), order="F") + boosting._baseline_prediction
        boosting._predict_iterations(encoded, boosting._predictors, raw, True, 1)
        return boosting._loss.predict_proba(raw)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return self.predict_proba_encoded(self.encoded(x))

    def get_params(self) -> dict:
        return self.boosting.get_params()


def fit_boosting(x: np.ndarray, y: np.ndarray, seed: int) -> BalancedBoosting:
    return BalancedBoosting(seed).fit(x, y)


@single_threaded
def train(frame: pd.DataFrame, seed: int, holdout_share: float, max_rows: int,
          presence_auc_limit: float = PRESENCE_AUC_LIMIT) -> PropensityModel:
    """Fits the model and the baselines on a training frame (features + label + segment; snapshots may be stacked).
    An attribute whose mere presence tells the label apart (leakage_guard) is left out."""
    frame = frame.reset_index(drop=True)
    if len(frame) < MIN_TRAINING_CUSTOMERS:
        raise ValueError(f"{len(frame)} customers had signed up by the training snapshot; at least "
                         f"{MIN_TRAINING_CUSTOMERS} are needed to train and evaluate a model")
    role = roles(frame["customer_id"], holdout_share, seed)
    fit = seeded_sample(frame[role == "fit"], max_rows, seed)
    calibrate = frame[role == "calibrate"]
    if min(part[LABEL].nunique() for part in (fit, calibrate, frame[role == "holdout"])) < 2:
        raise ValueError("the training snapshot needs customers who reached the target in the horizon and customers "
                         "who did not; use a longer history or a different propensity_horizon_days")
    left_out = leakage_guard(fit, presence_auc_limit)
    categories = {name: [] if name in left_out else sorted(frame[name].astype(str).unique())
                  for name in CATEGORICAL_FEATURES}
    model = PropensityModel(numeric_features(frame.columns), categories, None, None, {}, {})
    x_fit, y_fit = model.matrix(fit), fit[LABEL].astype(int).to_numpy()
    model.gradient_boosting = fit_boosting(x_fit, y_fit, seed)
    model.logistic_regression = make_pipeline(
        StandardScaler(), LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000, random_state=seed),
    ).fit(x_fit, y_fit)

    x_cal, y_cal = model.matrix(calibrate), calibrate[LABEL].astype(int).to_numpy()
    for name in MODELS:
        raw = model.raw_scores(calibrate, name, x_cal)
        model.calibrators[name] = PlattCalibrator(score_is_probability=name in ("gradient_boosting",
                                                                                "logistic_regression", "bg_nbd")
                                                  ).fit(raw, y_cal)
        model.thresholds[name] = best_f1_threshold(y_cal, model.calibrators[name].predict(raw))

    model.metadata = {
        "rows_fit": int(len(fit)), "rows_calibrate": int(len(calibrate)),
        # the reported holdout: the held-out customers of the latest training snapshot
        "rows_holdout": int(((role == "holdout") & latest_snapshot(frame)).sum()),
        "rows_training_snapshot": int(len(frame)),
        "positive_rate": float(frame[LABEL].mean()),
        "features": model.feature_names,
        "training_data_sha256": frame_fingerprint(frame[["customer_id", *model.numeric,
                                                         *CATEGORICAL_FEATURES, LABEL]]),
        "seed": seed, "holdout_share": holdout_share, "sklearn_version": sklearn.__version__,
        "gradient_boosting_params": model.gradient_boosting.get_params(),
        "left_out": left_out, "presence_auc_limit": presence_auc_limit,
        # each numeric feature's range on the customers the model learned from (propensity_feature_ranges)
        "feature_ranges": {name: (float(fit[name].astype(float).min()), float(fit[name].astype(float).max()))
                           for name in model.numeric},
    }
    return model


def leakage_guard(frame: pd.DataFrame, limit: float) -> dict:
    """The attributes to leave out, with the ROC-AUC their presence alone gives on the label: an attribute filled in
    mostly for one outcome (say, demographics kept only for loyal customers) would otherwise decide the score in
    time and mislead it out of time. Absence telling the label counts the same (ROC-AUC below 1 - limit)."""
    y = frame[LABEL].astype(int).to_numpy()
    left_out = {}
    if len(np.unique(y)) < 2:
        return left_out
    for name in GUARDED_ATTRIBUTES:
        present = (frame[name].astype(str) != "unknown").to_numpy()
        if present.all() or not present.any():
            continue
        auc = float(roc_auc_score(y, present))
        if max(auc, 1 - auc) >= limit:
            left_out[name] = auc
    return left_out


def latest_snapshot(frame: pd.DataFrame) -> np.ndarray:
    """True for the rows of the latest snapshot of a (stacked) frame; all rows when it has no snapshot_date."""
    if "snapshot_date" not in frame:
        return np.ones(len(frame), dtype=bool)
    return (frame["snapshot_date"] == frame["snapshot_date"].max()).to_numpy()


def train_if_possible(frame: pd.DataFrame, seed: int, holdout_share: float, max_rows: int,
                      presence_auc_limit: float = PRESENCE_AUC_LIMIT):
    """(model, None), or (None, the reason no model could be trained)."""
    try:
        return train(frame, seed, holdout_share, max_rows, presence_auc_limit), None
    except ValueError as error:
        return None, str(error)


def holdout(frame: pd.DataFrame, model: PropensityModel) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    role = roles(frame["customer_id"], model.metadata["holdout_share"], model.metadata["seed"])
    return frame[role == "holdout"].reset_index(drop=True)


def lift_at(y: np.ndarray, p: np.ndarray, share: float, keys: np.ndarray | None = None) -> float:
    """Positive rate in the top `share` by score over the overall positive rate."""
    order = _ranking(p, keys)
    top = order[: max(1, int(round(share * len(p))))]
    return float(y[top].mean() / y.mean()) if y.mean() > 0 else float("nan")


def _ranking(p: np.ndarray, keys: np.ndarray | None) -> np.ndarray:
    """Indices from the highest score down; ties broken by key so the order is reproducible."""
    keys = np.arange(len(p)) if keys is None else keys
    return np.lexsort((keys, -p))


@single_threaded
def metrics(frame: pd.DataFrame, model: PropensityModel) -> pd.DataFrame:
    """The held-out metrics of the model and both baselines, one row each (empty values without a model)."""
    if model is None:
        return pd.DataFrame({"model": list(MODELS), "model_label": [MODEL_LABELS[m] for m in MODELS],
                             "is_baseline": [m != "gradient_boosting" for m in MODELS],
                             **{column: np.full(len(MODELS), np.nan) for column in (
                                 "roc_auc", "pr_auc", "lift_top_20pct", "threshold", "precision", "recall", "f1",
                                 "brier")},
                             "holdout_customers": np.zeros(len(MODELS), dtype=np.int64),
                             "holdout_positive_rate": np.full(len(MODELS), np.nan),
                             "evaluation": "holdout", "is_shipped": False})
    test = holdout(frame, model)
    rows = [{**row, "evaluation": "holdout"} for row in evaluate(model, test)]
    rows += [{**row, "evaluation": "backtest"} for row in model.metadata.get("backtest", [])]
    for name, auc in model.metadata.get("left_out", {}).items():
        rows.append({"model": name, "evaluation": "leakage_warning", "is_baseline": False, "roc_auc": auc,
                     "model_label": f"{name} left out of the model: whether it is filled in alone gives ROC-AUC "
                                    f"{auc:.2f} on the label (limit {model.metadata['presence_auc_limit']:g})"})
    table = pd.DataFrame(rows)
    table["is_shipped"] = table["model"] == shipped_model(model)
    return table


def evaluate(model: PropensityModel, test: pd.DataFrame) -> list[dict]:
    """Every model and baseline of a fitted PropensityModel scored on the labelled customers of test."""
    y = test[LABEL].astype(int).to_numpy()
    matrix = model.matrix(test)
    rows = []
    for name in MODELS:
        ranking_score = model.raw_scores(test, name, matrix)
        p = model.calibrators[name].predict(ranking_score)  # model.predict(), from the scores already at hand
        predicted = p >= model.thresholds[name]
        tp = int((predicted & (y == 1)).sum())
        precision = tp / predicted.sum() if predicted.sum() else float("nan")
        recall = tp / (y == 1).sum() if (y == 1).sum() else float("nan")
        rows.append({
            "model": name, "model_label": MODEL_LABELS[name], "is_baseline": name != "gradient_boosting",
            "roc_auc": roc_auc_score(y, ranking_score), "pr_auc": average_precision_score(y, ranking_score),
            "lift_top_20pct": lift_at(y, ranking_score, TOP_SHARE, test["customer_id"].to_numpy()),
            "threshold": model.thresholds[name], "precision": precision, "recall": recall,
            "f1": 2 * precision * recall / (precision + recall) if tp else 0.0,
            "brier": brier_score_loss(y, p), "holdout_customers": len(y), "holdout_positive_rate": y.mean(),
        })
    return rows


# the models propensity_scores may ship, in the order that breaks a tie
SHIPPABLE = MODELS


def shipped_model(model: PropensityModel) -> str:
    return model.metadata.get("shipped_model", "gradient_boosting")


@single_threaded
def attach_backtest(model: PropensityModel, backtest_frame: pd.DataFrame | None, train_frame: pd.DataFrame,
                    seed: int, holdout_share: float, max_rows: int) -> PropensityModel:
    """The backtest, out of time: the same models trained the same way on the snapshot one horizon earlier, scored
    on every customer of the training snapshot, whose outcomes are known. The model with the best backtest PR-AUC
    among SHIPPABLE is the one propensity_scores ships (ties: the earlier in SHIPPABLE)."""
    if backtest_frame is None or backtest_frame.empty:
        model.metadata.update(backtest=[], shipped_model="gradient_boosting",
                              shipped_model_reason="gradient boosting: no backtest snapshot (the models did not train)")
        return model
    try:
        earlier = train(backtest_frame, seed, holdout_share, max_rows,
                        model.metadata.get("presence_auc_limit", PRESENCE_AUC_LIMIT))
    except ValueError as error:
        model.metadata.update(backtest=[], shipped_model="gradient_boosting",
                              shipped_model_reason=f"gradient boosting: no backtest ({error})")
        return model
    rows = evaluate(earlier, train_frame.reset_index(drop=True))
    # the segments' worth: the boosting model fitted on the same rows with the segment blanked, ranked the same way
    # (a ranking comparison: it is not calibrated)
    role = roles(backtest_frame["customer_id"], holdout_share, seed)
    fit = seeded_sample(backtest_frame[role == "fit"], max_rows, seed).assign(segment="none")
    blind = fit_boosting(earlier.matrix(fit), fit[LABEL].astype(int).to_numpy(), seed)
    test = train_frame.reset_index(drop=True)
    y = test[LABEL].astype(int).to_numpy()
    ranking = blind.predict_proba(earlier.matrix(test.assign(segment="none")))[:, 1]
    ablation_row = {"model": "gradient_boosting_without_segments", "is_baseline": False,
                    "model_label": "Gradient boosting without segments (ablation, ranking only)",
                    "roc_auc": roc_auc_score(y, ranking), "pr_auc": average_precision_score(y, ranking),
                    "lift_top_20pct": lift_at(y, ranking, TOP_SHARE, test["customer_id"].to_numpy()),
                    "holdout_customers": len(y), "holdout_positive_rate": y.mean()}
    best = max((row for row in rows if row["model"] in SHIPPABLE),
               key=lambda row: (round(row["pr_auc"], 12), -SHIPPABLE.index(row["model"])))
    others = ", ".join(f"{row['model']} {row['pr_auc']:.3f}" for row in rows
                       if row["model"] in SHIPPABLE and row is not best)
    shipped_predictions = earlier.predict(test, best["model"])
    model.metadata.update(
        backtest_breakdowns=breakdowns(test, shipped_predictions),
        backtest=[*rows, ablation_row], backtest_snapshot_date=(str(max(backtest_frame["snapshot_date"]))
                                                          if "snapshot_date" in backtest_frame else None),
        shipped_model=best["model"],
        shipped_model_reason=f"{best['model']}: the best backtest PR-AUC ({best['pr_auc']:.3f}; {others})")
    return model


BREAKDOWN_DIMENSIONS = ("plan", "territory", "industry", "company_size", "segment")


def breakdowns(frame: pd.DataFrame, predicted: np.ndarray) -> list[dict]:
    """Per value of each of BREAKDOWN_DIMENSIONS: customers, the observed target rate, the mean predicted propensity
    and the lift of the observed rate over the overall rate, for a labelled frame and the predictions made for it
    (the backtest: a model trained one horizon earlier, scored on the training snapshot's outcomes)."""
    y = frame[LABEL].astype(float).to_numpy()
    overall = float(y.mean()) if len(y) else float("nan")
    rows = []
    for dimension in BREAKDOWN_DIMENSIONS:
        table = pd.DataFrame({"value": frame[dimension].astype(str).to_numpy(), "y": y, "p": predicted}).groupby(
            "value", sort=True).agg(customers=("y", "size"), target_rate=("y", "mean"), mean_propensity=("p", "mean"))
        for value, row in table.iterrows():
            rows.append({"dimension": dimension, "value": value, "customers": int(row["customers"]),
                         "target_rate": float(row["target_rate"]), "mean_propensity": float(row["mean_propensity"]),
                         "lift": float(row["target_rate"] / overall) if overall > 0 else float("nan"),
                         "overall_target_rate": overall})
    return rows


def breakdown_table(model: PropensityModel | None) -> pd.DataFrame:
    """The backtest breakdowns stored with the model (breakdowns), one row per dimension and value; empty without a
    model or a backtest."""
    columns = {"dimension": "str", "value": "str", "customers": "int64", "target_rate": "float64",
               "mean_propensity": "float64", "lift": "float64", "overall_target_rate": "float64"}
    rows = (model.metadata.get("backtest_breakdowns") or []) if model is not None else []
    if not rows:
        return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})
    return pd.DataFrame(rows)[list(columns)].astype(columns)


@single_threaded
def gains(frame: pd.DataFrame, model: PropensityModel, groups: int = 10) -> pd.DataFrame:
    """Held-out customers in deciles of the shipped model's score (1 = highest): the data of a gains and lift
    chart."""
    if model is None:
        return pd.DataFrame({"decile": pd.Series(dtype="int64"), **{column: pd.Series(dtype="float64") for column in (
            "customers", "positives", "mean_propensity", "min_propensity", "max_propensity", "positive_rate", "lift",
            "cumulative_customer_share", "cumulative_positive_share", "cumulative_lift")}})
    test = holdout(frame, model)
    y = test[LABEL].astype(int).to_numpy()
    shipped = shipped_model(model)
    p = model.predict(test, shipped)
    order = _ranking(model.raw_scores(test, shipped), test["customer_id"].to_numpy())
    decile = np.empty(len(p), dtype=int)
    decile[order] = np.arange(len(p)) * groups // len(p) + 1
    table = pd.DataFrame({"decile": decile, "y": y, "p": p}).groupby("decile").agg(
        customers=("y", "size"), positives=("y", "sum"), mean_propensity=("p", "mean"),
        min_propensity=("p", "min"), max_propensity=("p", "max"))
    base_rate = y.mean()
    table["positive_rate"] = table["positives"] / table["customers"]
    table["lift"] = table["positive_rate"] / base_rate
    table["cumulative_customer_share"] = table["customers"].cumsum() / len(y)
    table["cumulative_positive_share"] = table["positives"].cumsum() / y.sum()
    table["cumulative_lift"] = table["cumulative_positive_share"] / table["cumulative_customer_share"]
    return table.reset_index()


@single_threaded
def permutation_importance(frame: pd.DataFrame, model: PropensityModel, seed: int, repeats: int = 3,
                           max_rows: int = 5_000) -> pd.DataFrame:
    """Drop in held-out ROC-AUC when one feature (all one-hot columns of a categorical together) is shuffled.

    Measured on a seeded sample of at most max_rows held-out customers, so the cost does not grow with the data.
    """
    if model is None:
        return pd.DataFrame({"feature": pd.Series(dtype="str"), "importance": pd.Series(dtype="float64"),
                             "importance_std": pd.Series(dtype="float64"), "is_categorical": pd.Series(dtype="bool"),
                             "rank": pd.Series(dtype="int64")})
    test = seeded_sample(holdout(frame, model), max_rows, seed).reset_index(drop=True)
    y = test[LABEL].astype(int).to_numpy()
    matrix = model.matrix(test)
    baseline = roc_auc_score(y, model.raw_scores(test, "gradient_boosting", matrix))
    names = model.feature_names
    groups = {feature: [i for i, name in enumerate(names) if name == feature or name.startswith(f"{feature}=")]
              for feature in (*model.numeric, *CATEGORICAL_FEATURES)}
    rng = np.random.default_rng(seed)
    boosting = model.gradient_boosting
    encoded = boosting.encoded(matrix)  # shuffling a column's bins is shuffling its values: the rows are binned once
    rows = []
    for feature, columns in groups.items():
        drops = []
        for _ in range(repeats):
            shuffled = encoded.copy()
            shuffled[:, columns] = encoded[rng.permutation(len(encoded))][:, columns]
            drops.append(baseline - roc_auc_score(y, boosting.predict_proba_encoded(shuffled)[:, 1]))
        rows.append({"feature": feature, "importance": float(np.mean(drops)), "importance_std": float(np.std(drops)),
                     "is_categorical": feature in CATEGORICAL_FEATURES})
    table = pd.DataFrame(rows).sort_values(["importance", "feature"], ascending=[False, True])
    table["rank"] = np.arange(1, len(table) + 1)
    return table.reset_index(drop=True)


@single_threaded
def score(frame: pd.DataFrame, model: PropensityModel) -> pd.DataFrame:
    """Calibrated propensity for every customer of a snapshot, with its rank and decile (1 = most likely).
    Without a model every customer is listed with an empty propensity."""
    frame = frame.reset_index(drop=True)
    if model is None:
        return pd.DataFrame({"customer_id": frame["customer_id"].to_numpy(), "propensity": np.nan,
                             "propensity_rank": pd.array([None] * len(frame), dtype="Int64"),
                             "propensity_decile": pd.array([None] * len(frame), dtype="Int32"),
                             "is_target": False})
    shipped = shipped_model(model)
    raw = model.raw_scores(frame, shipped)  # one pass over everyone
    p = model.calibrators[shipped].predict(raw)
    order = _ranking(raw, frame["customer_id"].to_numpy())
    rank = np.empty(len(p), dtype=np.int64)
    rank[order] = np.arange(1, len(p) + 1)
    return pd.DataFrame({
        "customer_id": frame["customer_id"].to_numpy(),
        "propensity": p,
        "propensity_rank": rank,
        "propensity_decile": ((rank - 1) * 10 // max(len(p), 1) + 1).astype(np.int32),
        "is_target": p >= model.thresholds[shipped],
    })


def model_table(model: PropensityModel | None, reason: str | None, frame: pd.DataFrame, horizon_days: int, seed: int,
                plan, target: str) -> pd.DataFrame:
    """The one row of propensity_model: the model's id and metadata, the target it predicts, when and on what it was
    trained, the pickle."""
    meta = model.metadata if model else {}
    return pd.DataFrame([{
        "model_id": meta.get("training_data_sha256", "none")[:16],
        "propensity_target": target,
        "status": "trained" if model else "not_trained",
        "status_reason": reason,
        "trained_at": plan.decided_at,
        "training_as_of_date": plan.as_of_date,
        "feature_set": plan.feature_set,
        "train_snapshot_date": max(frame["snapshot_date"]) if len(frame) else None,
        "training_snapshots": int(frame["snapshot"].nunique()) if "snapshot" in frame and len(frame) else 0,
        "horizon_days": horizon_days,
        "rows_training_snapshot": len(frame),
        "rows_fit": meta.get("rows_fit", 0),
        "rows_calibrate": meta.get("rows_calibrate", 0),
        "rows_holdout": meta.get("rows_holdout", 0),
        "positive_rate": frame[LABEL].mean() if len(frame) else None,
        "decision_threshold": model.thresholds[shipped_model(model)] if model else None,
        "shipped_model": shipped_model(model) if model else None,
        "shipped_model_reason": meta.get("shipped_model_reason"),
        "backtest_snapshot_date": meta.get("backtest_snapshot_date"),
        "features": json.dumps(meta.get("features", [])),
        "parameters": json.dumps(meta.get("gradient_boosting_params", {}), default=str, sort_keys=True),
        "training_data_sha256": meta.get("training_data_sha256"),
        "sklearn_version": meta.get("sklearn_version"),
        "seed": seed,
        "model_pickle": model.to_bytes() if model else None,
    }])


def with_model_columns(table: pd.DataFrame, model_row: dict) -> pd.DataFrame:
    """The table with the columns naming the model that produced it: model_id, propensity_target, model_trained_at
    and model_training_as_of_date."""
    table = table.copy()
    table["model_id"] = model_row["model_id"]
    table["propensity_target"] = model_row["propensity_target"]
    table["model_trained_at"] = model_row["trained_at"]
    table["model_training_as_of_date"] = model_row["training_as_of_date"]
    return table


def feature_ranges(frame: pd.DataFrame, model: PropensityModel | None) -> pd.DataFrame:
    """Per numeric feature: its range on the customers the model learned from, and the share of the scored
    customers (frame) below it, above it and outside it. Trees cannot extrapolate: a feature that has moved out of
    its training range gives the same score to every customer beyond the edge."""
    columns = {"feature": "str", "training_min": "float64", "training_max": "float64", "scored_customers": "int64",
               "share_below": "float64", "share_above": "float64", "share_outside": "float64"}
    if model is None or "feature_ranges" not in model.metadata:
        return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})
    rows = []
    for name, (low, high) in model.metadata["feature_ranges"].items():
        values = frame[name].astype(float).to_numpy()
        below, above = float(np.mean(values < low)) if len(values) else 0.0, \
            float(np.mean(values > high)) if len(values) else 0.0
        rows.append({"feature": name, "training_min": low, "training_max": high, "scored_customers": len(values),
                     "share_below": below, "share_above": above, "share_outside": below + above})
    return pd.DataFrame(rows).sort_values(["share_outside", "feature"], ascending=[False, True]).reset_index(drop=True)
