"""The dbt Python models on a real build: honest metrics, personas recovered, determinism, no leakage."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest
from conftest import mart, run_dbt
from sklearn.metrics import adjusted_rand_score

pytestmark = pytest.mark.dbt
ML_TABLES = ["propensity_feature_ranges",
             "segment_diagnostics", "segment_model", "int_customer_clusters", "segment_profiles", "customer_segments",
             "propensity_model", "propensity_model_metrics", "propensity_gains", "propensity_feature_importance",
             "propensity_scores", "customer_360", "btyd_model", "customer_lifetime_value"]
# when a model was trained differs between two builds by construction; the pickles are compared through what they score
RUN_METADATA = ["trained_at", "model_trained_at", "model_pickle", "fitted_at"]


def test_propensity_beats_the_baselines_and_the_backtest_picks_the_shipped_model(analytics_build):
    both = mart(analytics_build, "propensity_model_metrics")
    backtest = both[both["evaluation"] == "backtest"].set_index("model")
    print(backtest[["roc_auc", "pr_auc", "lift_top_20pct", "brier", "is_shipped"]].round(4).to_string())
    assert set(backtest.index) == {"gradient_boosting", "logistic_regression", "bg_nbd", "recency_rule",
                                   "gradient_boosting_without_segments"}
    shipped = backtest.index[backtest["is_shipped"]]
    baselines = ["logistic_regression", "bg_nbd", "recency_rule"]
    assert len(shipped) == 1 and (backtest.loc[shipped[0], "pr_auc"] >= backtest.loc[baselines, "pr_auc"]).all()
    model_row = mart(analytics_build, "propensity_model").iloc[0]
    assert model_row["shipped_model"] == shipped[0] and shipped[0] in model_row["shipped_model_reason"]
    # out of time every customer of the training snapshot is scored, and the models still rank well
    assert (backtest["holdout_customers"] > both.loc[both["evaluation"] == "holdout", "holdout_customers"].max()).all()
    assert backtest.loc[shipped[0], "roc_auc"] >= 0.75
    # the model learned from the stacked snapshots, and says how far today's customers lie outside what it saw
    assert model_row["training_snapshots"] == 3
    assert analytics_build.scalar("select count(distinct snapshot) from int_customer_features") == 7
    ranges = mart(analytics_build, "propensity_feature_ranges").set_index("feature")
    assert len(ranges) > 40 and ranges["share_outside"].between(0, 1).all()
    assert ranges.loc["tenure_days", "share_above"] > 0  # tenure grows with calendar time
    metrics = both[both["evaluation"] == "holdout"].set_index("model")
    print(metrics[["roc_auc", "pr_auc", "lift_top_20pct", "precision", "recall", "f1", "brier"]].round(4).to_string())
    model_auc = metrics.loc["gradient_boosting", "roc_auc"]
    assert model_auc >= 0.75
    assert model_auc > metrics.loc["logistic_regression", "roc_auc"]
    assert model_auc > metrics.loc["recency_rule", "roc_auc"]
    assert metrics.loc["gradient_boosting", "brier"] < metrics.loc["recency_rule", "brier"]
    model = mart(analytics_build, "propensity_model").iloc[0]
    assert model["rows_holdout"] == metrics.loc["gradient_boosting", "holdout_customers"]
    assert 0 < model["positive_rate"] < 1 and len(model["training_data_sha256"]) == 64


def test_lifetime_value_is_plausible_on_the_demo_data(analytics_build):
    clv = mart(analytics_build, "customer_lifetime_value")
    fitted = mart(analytics_build, "btyd_model").iloc[0]
    assert fitted["status"] == "fitted" and fitted["bg_nbd_converged"] and fitted["gamma_gamma_converged"]
    assert len(clv) == analytics_build.scalar("select count(*) from dim_customers")
    bought = clv[clv["has_purchased"]]
    assert len(bought) > 0.5 * len(clv) and clv.loc[~clv["has_purchased"], "lifetime_value"].isna().all()
    assert bought["p_alive"].between(0, 1).all() and (bought["lifetime_value"] > 0).mean() > 0.95
    # more repeat purchases, more expected; a long silence, less alive
    by_frequency = bought.groupby(bought["repeat_purchases"].clip(upper=4))["expected_purchases"].mean()
    assert by_frequency.is_monotonic_increasing, by_frequency
    quiet = bought["age_days"] - bought["recency_days"]
    assert bought.loc[quiet > 180, "p_alive"].mean() < bought.loc[quiet < 30, "p_alive"].mean()
    # the BG/NBD chance of a purchase ranks customers like the propensity model does, broadly
    scores = mart(analytics_build, "propensity_scores").merge(bought, on="customer_id")
    assert scores["propensity"].corr(scores["probability_of_purchase"], method="spearman") > 0.3


def test_segments_recover_the_planted_personas(analytics_build, analytics_data):
    segments = mart(analytics_build, "customer_segments")
    truth = pd.read_csv(analytics_data / "_truth" / "customers.csv")
    joined = segments.merge(truth, on="customer_id", validate="1:1")
    ari = adjusted_rand_score(joined["persona"], joined["cluster_id"])
    diagnostics = mart(analytics_build, "segment_diagnostics")
    chosen = int(diagnostics.loc[diagnostics["is_chosen"], "k"].iloc[0])
    print(f"k = {chosen} (silhouette {diagnostics['silhouette'].max():.3f}); adjusted Rand index vs planted "
          f"personas {ari:.3f}")
    print(pd.crosstab(joined["persona"], joined["segment_name"]).to_string())
    assert ari >= 0.5
    assert segments["segment_name"].nunique() == chosen


def test_every_customer_is_scored_and_gets_an_action(analytics_build):
    customers = analytics_build.scalar("select count(*) from dim_customers where not is_after_as_of_date")
    assert analytics_build.scalar("select count(*) from propensity_scores") == customers
    assert analytics_build.scalar("select count(*) from customer_segments") == customers
    assert analytics_build.scalar("select count(*) from customer_360") == customers
    assert analytics_build.scalar("select count(*) from customer_360 where next_best_action is null") == 0
    gains = mart(analytics_build, "propensity_gains")
    assert list(gains["decile"]) == list(range(1, 11)) and gains["lift"].iloc[0] > 1.3


def test_same_data_and_seed_give_identical_outputs(analytics_build, analytics_data, tmp_path):
    again = run_dbt(["build"], tmp_path, analytics_data)
    assert again.returncode == 0, again.output
    for table in ML_TABLES:
        first, second = (mart(run, table).drop(columns=RUN_METADATA, errors="ignore")
                         for run in (analytics_build, again))
        key = [c for c in ("customer_id", "snapshot", "k", "cluster_id", "model", "evaluation", "decile", "feature")
               if c in first]
        pd.testing.assert_frame_equal(first.sort_values(key).reset_index(drop=True),
                                      second.sort_values(key).reset_index(drop=True), check_exact=True, obj=table)
    assert (mart(analytics_build, "propensity_model")["model_pickle"].iloc[0] is not None)


def test_training_features_never_read_past_the_snapshot(analytics_build, analytics_data, tmp_path):
    """Rebuild from data cut at the training snapshot: the training features and segments must not change."""
    as_of, train_date = analytics_build.query(
        "select as_of_date, max(snapshot_date) from int_reporting_dates, int_customer_features "
        "where snapshot = 'train' group by 1")[0]
    cut = tmp_path / "cut"
    cut.mkdir()
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    for name, column in (("customers", "signup_at"), ("orders", "ordered_at"), ("engagement_events", "occurred_at"),
                         ("plan_changes", "changed_at"), ("campaigns", None)):
        condition = f"cast({column} as date) <= date '{train_date}'" if column else "true"
        con.execute(f"copy (select * from read_parquet('{analytics_data}/{name}.parquet') where {condition}) "
                    f"to '{cut}/{name}.parquet' (format parquet)")
    only_models = ["--resource-type", "model", "--resource-type", "seed"]
    run = run_dbt(["build", "--select", "+int_customer_clusters", *only_models], tmp_path / "run", cut,
                  extra_vars={"as_of_date": str(as_of)})
    assert run.returncode == 0, run.output
    # every labelled snapshot (the stacked training ones and the backtest's), the segment feature and the BG/NBD too
    labelled = "snapshot <> 'score'"
    for query in (f"select * exclude (target_in_horizon) from int_customer_features where {labelled}",
                  f"select * from int_customer_clusters where {labelled}",
                  f"select * from btyd_scores where {labelled}"):
        with analytics_build.connect() as full_con, run.connect() as cut_con:
            full = full_con.execute(query).df().sort_values(["snapshot", "customer_id"]).reset_index(drop=True)
            from_cut = cut_con.execute(query).df().sort_values(["snapshot", "customer_id"]).reset_index(drop=True)
        assert len(full) > 1000 and set(full["snapshot"]) == {"train", "train_1", "train_2", "backtest",
                                                              "backtest_1", "backtest_2"}, query
        pd.testing.assert_frame_equal(full, from_cut, check_exact=False, rtol=1e-12)


def test_the_stored_models_score_until_they_are_due(analytics_build, analytics_data, tmp_path):
    """A build on the same data keeps the stored models and scores with them; one a week later trains again."""
    database = tmp_path / "warehouse.duckdb"
    shutil.copy(analytics_build.database, database)
    trained = mart(analytics_build, "propensity_model").iloc[0]
    kept = run_dbt(["build"], tmp_path / "kept", analytics_data, database=database)
    assert kept.returncode == 0, kept.output
    assert kept.query("select retrain, retrain_reason from int_ml_retrain") == [(False, None)]
    model = mart(kept, "propensity_model").iloc[0]
    assert model["model_id"] == trained["model_id"] and model["trained_at"] == trained["trained_at"]
    scores = mart(kept, "propensity_scores")
    assert (scores["model_id"] == trained["model_id"]).all() and scores["propensity"].notna().all()
    pd.testing.assert_frame_equal(scores.sort_values("customer_id").reset_index(drop=True),
                                  mart(analytics_build, "propensity_scores").sort_values("customer_id")
                                  .reset_index(drop=True))
    as_of = analytics_build.scalar("select as_of_date from int_reporting_dates")
    later = run_dbt(["build", "--select", "+int_ml_retrain"], tmp_path / "later", analytics_data, database=database,
                    extra_vars={"as_of_date": str(as_of + pd.Timedelta(days=7))})
    assert later.returncode == 0, later.output
    assert later.query("select retrain, retrain_reason from int_ml_retrain") == [
        (True, "the stored model is 7 days old (ml_retrain_days: 7)")]
