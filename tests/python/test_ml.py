"""The ML package functions on small synthetic data: k selection, naming, metrics, calibration, splits."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import roc_auc_score

from engagement_radar.ml import propensity as P
from engagement_radar.ml import segmentation as S
from engagement_radar.ml.frames import seeded_sample, stable_fraction


def blob_features(centers: int, seed: int = 0) -> pd.DataFrame:
    points, _ = make_blobs(n_samples=1200, centers=centers, n_features=len(S.SEGMENT_FEATURES), cluster_std=0.4,
                           random_state=seed)
    return pd.DataFrame(points, columns=list(S.SEGMENT_FEATURES))


@pytest.mark.parametrize("centers", [3, 4, 5])
def test_choose_k_finds_the_number_of_blobs(centers):
    diagnostics = S.choose_k(blob_features(centers), k_min=2, k_max=8, sample_size=500, seed=1)
    assert list(diagnostics["k"]) == list(range(2, 9))
    assert diagnostics["is_chosen"].sum() == 1
    assert int(diagnostics.loc[diagnostics["is_chosen"], "k"].iloc[0]) == centers
    assert diagnostics["inertia"].is_monotonic_decreasing


def test_choose_k_rejects_a_bad_range():
    with pytest.raises(ValueError):
        S.choose_k(blob_features(3), k_min=1, k_max=4, sample_size=100, seed=0)


def test_segmenting_is_deterministic_and_flags_outliers():
    features = blob_features(4)
    features.iloc[0, 0] = 1e6  # one extreme value
    first = S.fit_segmenter(features, 4, seed=3).assign(features)
    second = S.fit_segmenter(features, 4, seed=3).assign(features)
    pd.testing.assert_frame_equal(first, second)
    assert first["is_outlier"].iloc[0] and first["is_outlier"].sum() < 10


def profiles(rows):
    columns = ["cluster_id", "customers", "mean_discount_share", "mean_engagement_rate", "mean_monetary",
               "mean_quiet_share"]
    return pd.DataFrame(rows, columns=columns)


def test_names_come_from_the_profiles():
    names = S.name_segments(profiles([
        (0, 100, 0.01, 0.5, 200.0, 0.70),   # quiet for most of their life
        (1, 100, 0.20, 2.0, 900.0, 0.05),   # heavy discounts
        (2, 100, 0.02, 2.5, 3000.0, 0.02),  # engaged and spending
        (3, 100, 0.01, 0.3, 50.0, 0.20),    # barely engaged
    ]))
    assert names.to_dict() == {0: "Drifting Away", 1: "Deal Seekers", 2: "Champions",
                               3: "Light Users"}


def test_names_are_unique_and_leftovers_are_numbered():
    names = S.name_segments(profiles([
        (0, 100, 0.0, 2.0, 3000.0, 0.0), (1, 100, 0.0, 2.0, 2000.0, 0.0), (2, 100, 0.0, 1.9, 1000.0, 0.0),
        (3, 100, 0.0, 0.1, 10.0, 0.1),
    ]))
    assert names[0] == "Champions" and names[3] == "Light Users"
    assert {names[1], names[2]} == {"Mainstream 1", "Mainstream 2"}
    assert names.is_unique


def test_a_cluster_that_is_not_quiet_is_not_called_dormant():
    names = S.name_segments(profiles([(0, 100, 0.0, 2.0, 3000.0, 0.0), (1, 100, 0.0, 0.4, 90.0, 0.2)]))
    assert names[1] == "Light Users"


def test_lift_and_threshold():
    y = np.array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    p = np.linspace(1, 0, 10)
    assert P.lift_at(y, p, 0.2) == pytest.approx(5.0)
    assert P.lift_at(y, -p, 0.2) == pytest.approx(0.0)
    assert P.best_f1_threshold(y, p) == pytest.approx(p[1])


def synthetic_training_frame(n=4000, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    # the fixed features, and two that the seed decides (a channel group's score, a network's impressions)
    names = (*P.FIXED_NUMERIC_FEATURES, "email_score", "linkedin_impressions_0_29d")
    frame = pd.DataFrame({name: rng.poisson(3, n).astype(float) for name in names})
    for name in P.CATEGORICAL_FEATURES:
        frame[name] = rng.choice(["a", "b", "c"], n)
    # the truth: engagement raises the odds, a long wait since the last order lowers them, non-linearly
    logit = 0.8 * frame["engagement_score"] - 0.5 * (frame["days_since_last_order"] > 4) * 3 - 2.0
    frame["true_probability"] = 1 / (1 + np.exp(-logit))
    frame[P.LABEL] = rng.random(n) < frame["true_probability"]
    frame["customer_id"] = [f"C{i:05d}" for i in range(n)]
    return frame


def test_propensity_model_learns_calibrates_and_reports():
    frame = synthetic_training_frame()
    model = P.train(frame, seed=1, holdout_share=0.25, max_rows=10_000)
    report = P.metrics(frame, model).set_index("model")
    assert set(report.index) == set(P.MODELS)
    test = P.holdout(frame, model)
    oracle = roc_auc_score(test[P.LABEL], test["true_probability"])  # the best any model can do here
    assert report.loc["gradient_boosting", "roc_auc"] > oracle - 0.03
    assert report.loc["gradient_boosting", "roc_auc"] > report.loc["recency_rule", "roc_auc"]
    # calibrated: predicted probabilities match observed rates on held-out customers
    p, y = model.predict(test), test[P.LABEL].astype(int).to_numpy()
    bins = np.digitize(p, [0.2, 0.4, 0.6, 0.8])
    for b in np.unique(bins):
        if (bins == b).sum() > 100:
            assert abs(p[bins == b].mean() - y[bins == b].mean()) < 0.08
    assert report.loc["gradient_boosting", "brier"] < ((y - y.mean()) ** 2).mean()  # beats the base rate
    gains = P.gains(frame, model)
    assert gains["customers"].sum() == len(test) and gains["cumulative_positive_share"].iloc[-1] == 1.0
    assert gains["lift"].iloc[0] > gains["lift"].iloc[-1]
    importance = P.permutation_importance(frame, model, seed=1, repeats=2)
    assert importance.iloc[0]["feature"] in ("engagement_score", "days_since_last_order")
    assert set(importance["feature"]) == set(model.numeric) | set(P.CATEGORICAL_FEATURES)
    assert {"email_score", "linkedin_impressions_0_29d"} <= set(model.numeric)


def test_model_round_trips_and_scores_every_customer():
    frame = synthetic_training_frame(2000)
    model = P.train(frame, seed=2, holdout_share=0.25, max_rows=10_000)
    again = P.PropensityModel.from_bytes(model.to_bytes())
    scores = P.score(frame, again)
    assert len(scores) == len(frame) and scores["propensity"].between(0, 1).all()
    assert sorted(scores["propensity_rank"]) == list(range(1, len(frame) + 1))
    assert scores["propensity_decile"].min() == 1 and scores["propensity_decile"].max() == 10
    np.testing.assert_array_equal(scores["propensity"], P.score(frame, model)["propensity"])


def test_training_needs_both_classes():
    frame = synthetic_training_frame(500)
    frame[P.LABEL] = False
    with pytest.raises(ValueError, match="reached the target in the horizon"):
        P.train(frame, seed=0, holdout_share=0.25, max_rows=10_000)


def test_splits_depend_on_the_id_only():
    ids = pd.Series([f"C{i}" for i in range(1000)])
    roles = P.roles(ids, 0.25, seed=7)
    shuffled = ids.sample(frac=1, random_state=1)
    assert (P.roles(shuffled, 0.25, seed=7) == roles[shuffled.index]).all()
    assert 0.2 < (roles == "holdout").mean() < 0.3
    assert (stable_fraction(ids, "x") == stable_fraction(ids, "x")).all()
    sample = seeded_sample(pd.DataFrame({"customer_id": ids}), 100, seed=3)
    assert len(sample) == 100 and sample.equals(seeded_sample(pd.DataFrame({"customer_id": ids}), 100, seed=3))


def test_best_f1_threshold_is_the_brute_force_answer():
    """The sorted-count F1 search picks what trying every cut-off picks (ties: the higher cut-off)."""
    from engagement_radar.ml.propensity import best_f1_threshold

    def brute_force(y, p):
        best, best_f1 = float(np.unique(p)[-1]), -1.0
        for threshold in np.unique(p):
            tp = float(((p >= threshold) & (y == 1)).sum())
            f1 = 2 * tp / ((p >= threshold).sum() + (y == 1).sum()) if tp else 0.0
            if f1 >= best_f1:
                best, best_f1 = float(threshold), f1
        return best

    rng = np.random.default_rng(3)
    for _ in range(200):
        n = int(rng.integers(1, 300))
        p = np.round(rng.random(n), int(rng.integers(1, 4)))
        y = (rng.random(n) < rng.random()).astype(int)
        assert best_f1_threshold(y, p) == brute_force(y, p)


def test_an_attribute_filled_in_only_for_buyers_is_left_out_and_reported():
    frame = synthetic_training_frame()
    frame["industry"] = np.where(frame[P.LABEL], "retail", "unknown")  # known almost only for those who order
    model = P.train(frame, seed=1, holdout_share=0.25, max_rows=10_000)
    assert list(model.metadata["left_out"]) == ["industry"] and model.categories["industry"] == []
    assert not any(name.startswith("industry=") for name in model.feature_names)
    report = P.metrics(frame, model)
    warning = report[report["evaluation"] == "leakage_warning"].iloc[0]
    assert warning["model"] == "industry" and warning["roc_auc"] > 0.8 and "left out" in warning["model_label"]
    # an attribute that says nothing on its own stays in
    assert "territory" not in model.metadata["left_out"] and model.categories["territory"] == ["a", "b", "c"]


def test_feature_ranges_report_customers_beyond_the_training_range():
    frame = synthetic_training_frame()
    model = P.train(frame, seed=1, holdout_share=0.25, max_rows=10_000)
    later = frame.assign(tenure_days=frame["tenure_days"] + 1_000)  # everyone older than anyone in training
    ranges = P.feature_ranges(later, model).set_index("feature")
    assert ranges.loc["tenure_days", "share_above"] == 1.0 and ranges.index[0] == "tenure_days"
    assert ranges.loc["engagement_score", "share_outside"] < 0.01
    assert set(ranges.index) == set(model.numeric)


def test_the_channel_groups_and_networks_of_the_seed_are_features():
    columns = ["customer_id", *P.FIXED_NUMERIC_FEATURES, "podcast_score", "engagement_score_quarter_earlier",
               "mastodon_impressions_30_59d", "plan", "target_in_horizon"]
    features = P.numeric_features(columns)
    assert features[:len(P.FIXED_NUMERIC_FEATURES)] == list(P.FIXED_NUMERIC_FEATURES)
    assert features[len(P.FIXED_NUMERIC_FEATURES):] == ["podcast_score", "mastodon_impressions_30_59d"]


def test_the_backtest_ships_the_best_out_of_time_model_and_measures_the_segments():
    earlier, later = synthetic_training_frame(3000, seed=3), synthetic_training_frame(3000, seed=4)
    model = P.train(later, seed=1, holdout_share=0.25, max_rows=10_000)
    P.attach_backtest(model, earlier, later, seed=1, holdout_share=0.25, max_rows=10_000)
    backtest = pd.DataFrame(model.metadata["backtest"]).set_index("model")
    assert set(backtest.index) == {*P.MODELS, "gradient_boosting_without_segments"}
    assert (backtest["holdout_customers"] == len(later)).all()
    shipped = model.metadata["shipped_model"]
    assert backtest.loc[shipped, "pr_auc"] == backtest.loc[list(P.MODELS), "pr_auc"].max()
    assert shipped in model.metadata["shipped_model_reason"]
    scores = P.score(later, model)
    np.testing.assert_allclose(scores["propensity"], model.predict(later, shipped))


def test_the_model_row_names_the_model_its_training_and_the_plan():
    """propensity_model's one row: built by the package, it says which model, trained when and on what."""
    from datetime import date, datetime

    from engagement_radar.ml.runs import RetrainPlan

    frame = synthetic_training_frame(2000).assign(snapshot="train", snapshot_date=pd.Timestamp("2026-03-01"))
    model = P.train(frame, seed=3, holdout_share=0.25, max_rows=10_000)
    plan = RetrainPlan(True, "full refresh", date(2026, 5, 30), "features-x", datetime(2026, 6, 1, 8, 0))
    row = P.model_table(model, None, frame, 90, 3, plan, "order").iloc[0]
    assert row["model_id"] == model.metadata["training_data_sha256"][:16] and row["status"] == "trained"
    assert row["propensity_target"] == "order" and row["trained_at"] == plan.decided_at
    assert row["training_as_of_date"] == plan.as_of_date and row["feature_set"] == "features-x"
    assert json.loads(row["features"]) == model.feature_names and row["rows_fit"] == model.metadata["rows_fit"]
    assert row["shipped_model"] in P.MODELS and 0 < row["decision_threshold"] < 1
    assert P.PropensityModel.from_bytes(row["model_pickle"]).feature_names == model.feature_names
    scored = P.with_model_columns(pd.DataFrame({"customer_id": ["C1"]}), row.to_dict())
    assert scored.loc[0, "model_id"] == row["model_id"]
    assert scored.loc[0, "model_training_as_of_date"] == plan.as_of_date
    # no model: the row says why, and holds none
    empty = P.model_table(None, "too few customers", frame.head(0), 90, 3, plan, "order").iloc[0]
    assert empty["status"] == "not_trained" and empty["status_reason"] == "too few customers"
    assert empty["model_pickle"] is None and empty["model_id"] == "none"


def test_prebinned_boosting_equals_scikit_learns_weighted_binning():
    """BalancedBoosting bins each feature at its weighted quantiles before boosting; the model must be the one
    scikit-learn fits from the same sample weights itself (same predictions), for features with more and with fewer
    distinct values than bins, missing values and rare positives."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.utils.class_weight import compute_sample_weight

    rng = np.random.default_rng(3)
    n = 6_000
    x = np.column_stack([rng.lognormal(size=n), rng.integers(0, 40, n).astype(float), rng.normal(size=n).round(1),
                         np.where(rng.random(n) < 0.1, np.nan, rng.exponential(size=n))])
    y = (x[:, 0] + 0.05 * x[:, 1] + rng.normal(scale=1.5, size=n) > 5).astype(int)
    assert 0.02 < y.mean() < 0.2
    ours = P.fit_boosting(x, y, seed=7)
    theirs = HistGradientBoostingClassifier(**ours.get_params()).fit(x, y, sample_weight=compute_sample_weight(
        "balanced", y))
    test = np.column_stack([rng.lognormal(size=2_000), rng.integers(-5, 45, 2_000).astype(float),
                            rng.normal(size=2_000), rng.exponential(size=2_000)])
    test[::17, 3] = np.nan
    np.testing.assert_allclose(ours.predict_proba(test), theirs.predict_proba(test), rtol=0, atol=1e-12)
    assert ours.encoded(test).dtype == np.uint8  # the trees walked the bins
    assert roc_auc_score(y, ours.predict_proba(x)[:, 1]) > 0.8
    ours.TREE_WALK = (*ours.TREE_WALK, "_renamed_in_a_later_release")  # the public path, as after such a rename
    assert ours.encoded(test).dtype == np.float64
    np.testing.assert_allclose(ours.predict_proba(test), theirs.predict_proba(test), rtol=0, atol=1e-12)
