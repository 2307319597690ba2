"""The propensity target (order, campaign_response, plan_upgrade) and the optional plan_changes file, through real
dbt builds: hand-written contract folders with and without the file, and generated data where each target was
planted."""

from __future__ import annotations

import shutil

import pytest
from conftest import PROJECT_DIR, run_dbt

pytestmark = pytest.mark.dbt
HANDMADE = PROJECT_DIR / "tests" / "python" / "handmade_csv"

# C1 starts on P1 and upgrades; C2 downgrades (to a plan given in lower case); C3 has one row on its signup day; C4 none
PLAN_CHANGES = """customer_id,changed_at,plan
C1,2024-01-03T09:15:00Z,P1
C1,2024-03-01T12:00:00Z,P2
C2,2024-02-11 14:00:00,P2
C2,2024-03-15,p1
C3,2024-03-20T06:00:00Z,P1
C1,2024-03-10T00:00:00Z,Platinum
C9,2024-03-10T00:00:00Z,P2
C3,2024-03-01T00:00:00Z,P2
C2,soon,P2
C2,,P2
C1,2024-03-01T12:00:00Z,P3
C3,2024-05-30T00:00:00Z,P2
"""


def test_a_contract_folder_without_plan_changes_builds_and_refuses_plan_upgrade(tmp_path):
    default = run_dbt(["build"], tmp_path / "default", HANDMADE, raw_format="csv")
    assert default.returncode == 0, default.output
    assert default.scalar("select count(*) from stg_raw__plan_changes") == 0
    assert default.scalar("select count(*) from plan_movements") == 0
    # without the file, the plan in customers is the customer's only plan
    assert default.query("select customer_id, plan, plan_at_as_of, plan_at_signup from dim_customers "
                         "order by customer_id") == [("C1", "P1", "P1", "P1"), ("C2", "P2", "P2", "P2"),
                                                     ("C3", "P1", "P1", "P1"), ("C4", None, None, None)]
    assert default.scalar("select distinct propensity_target from propensity_model_metrics") == "order"

    refused = run_dbt(["build"], tmp_path / "refused", HANDMADE, raw_format="csv",
                      extra_vars={"propensity_target": "plan_upgrade"})
    assert refused.returncode != 0
    assert "Traceback" not in refused.output
    assert (f"propensity_target 'plan_upgrade' needs the file {HANDMADE}/plan_changes.csv, which is not there"
            in refused.output)
    assert "choose another target: campaign_response, order" in refused.output
    assert refused.output.count("needs the file") == 1
    assert not refused.database.exists() or refused.scalar(
        "select count(*) from information_schema.tables where table_name = 'stg_raw__customers'") == 0

    unknown = run_dbt(["build"], tmp_path / "unknown", HANDMADE, raw_format="csv",
                      extra_vars={"propensity_target": "churn"})
    assert unknown.returncode != 0 and "Traceback" not in unknown.output
    # dbt stops while reading the project, naming the label model a target needs
    assert "depends on a node named 'int_labels__churn' which was not found" in unknown.output


def test_plan_changes_are_screened_and_give_the_plan_history(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(HANDMADE, raw)
    (raw / "plan_changes.csv").write_text(PLAN_CHANGES)
    run = run_dbt(["build"], tmp_path / "run", raw, raw_format="csv")
    assert run.returncode == 0, run.output  # each_raw_row_lands_once included
    assert run.query("select source_line_number, rejection_reason from quarantine_raw__plan_changes "
                     "order by source_line_number") == [
        (7, "unknown_plan"), (8, "orphan_customer_id"), (9, "changed_before_signup"),
        (10, "unparseable_changed_at"), (11, "null_changed_at"), (12, "duplicate_plan_change"),
        (13, "future_changed_at")]
    assert run.scalar("select count(*) from stg_raw__plan_changes") == 5
    assert run.query("select customer_id, plan, plan_at_as_of, plan_at_signup from dim_customers "
                     "order by customer_id") == [("C1", "P1", "P2", "P1"), ("C2", "P2", "P1", "P2"),
                                                 ("C3", "P1", "P1", "P1"), ("C4", None, None, None)]
    assert run.query("select cast(movement_month as varchar), from_plan, to_plan, customers, upgrades, downgrades "
                     "from plan_movements order by 1, 2") == [
        ("2024-03-01", "P1", "P2", 1, 1, 0), ("2024-03-01", "P2", "P1", 1, 0, 1)]
    assert run.query("select customer_id, plan_number, plan, is_upgrade, is_downgrade from int_plan_history "
                     "where customer_id = 'C2' order by plan_number") == [
        ("C2", 1, "P2", False, False), ("C2", 2, "P1", False, True)]


@pytest.mark.parametrize("target", ["plan_upgrade", "campaign_response"])
def test_each_planted_target_is_found_out_of_time(target, analytics_build, analytics_data, tmp_path):
    """The generator plants each target (upgrades driven by active users, support sessions, impressions and company
    size; responses by each customer's responsiveness); built for that target, the shipped model finds it in the
    backtest, well above the base rate, and the tables say which target they are about."""
    database = tmp_path / "warehouse.duckdb"
    shutil.copy(analytics_build.database, database)
    run = run_dbt(["build"], tmp_path, analytics_data, extra_vars={"propensity_target": target}, database=database)
    assert run.returncode == 0, run.output  # every data test passes
    assert run.query("select distinct propensity_target from propensity_model_metrics") == [(target,)]
    assert run.query("select distinct propensity_target from propensity_scores") == [(target,)]
    assert run.scalar("select retrain_reason from int_ml_retrain") == "the feature set or the ML settings changed"
    rows = {(model, evaluation): (pr_auc, lift, f1, base_rate) for model, evaluation, pr_auc, lift, f1, base_rate in
            run.query("select model, evaluation, pr_auc, lift_top_20pct, f1, holdout_positive_rate "
                      "from propensity_model_metrics where evaluation in ('holdout', 'backtest')")}
    assert {model for model, evaluation in rows if evaluation == "backtest"} >= {
        "gradient_boosting", "logistic_regression", "bg_nbd", "recency_rule"}
    shipped = run.scalar("select shipped_model from propensity_model")
    pr_auc, lift, f1, base_rate = rows[shipped, "backtest"]
    if target == "plan_upgrade":
        assert 0.02 < base_rate < 0.10  # rare, as planted
        assert pr_auc > 2.5 * base_rate and lift > 2.0 and f1 > 0.1, rows
        # the planted drivers show in the B2B breakdown: the biggest companies upgrade most, the smallest least
        lifts = dict(run.query("select value, backtest_lift from propensity_breakdowns "
                               "where dimension = 'company_size'"))
        assert lifts["1000+"] > 1.5 > 0.7 > lifts["1-10"], lifts
        # the top plan cannot be upgraded, and the model knows it
        assert run.scalar("select backtest_target_rate from propensity_breakdowns "
                          "where dimension = 'plan' and value = 'P3'") == 0
    else:
        assert pr_auc > base_rate + 0.2 and lift > 1.5, rows
    # the shipped model beats the recency rule out of time
    assert pr_auc > rows["recency_rule", "backtest"][0]
    breakdown = run.query("select dimension, count(*), sum(customers), min(propensity_target) "
                          "from propensity_breakdowns group by 1 order by 1")
    customers = run.scalar("select count(*) from propensity_scores")
    assert [(d, n > 1, total == customers, t) for d, n, total, t in breakdown] == [
        (d, True, True, target) for d in ("company_size", "industry", "plan", "segment", "territory")]
