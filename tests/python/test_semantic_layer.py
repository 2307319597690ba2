"""The semantic layer (MetricFlow): every saved query, run with the real `mf query`, equals the mart the app reads;
the conversion metric and a ratio equal direct SQL; and a wrong metric definition makes the comparison fail.

`mf` reads the semantic manifest from `<project dir>/target/semantic_manifest.json` (it ignores --target-path and
DBT_TARGET_PATH), so each test module gets its own project folder: a copy of dbt_project.yml and the manifest the
analytics build wrote. The profile is the project's (DBT_PROFILES_DIR), the warehouse the build's (ENGAGEMENT_RADAR_DB).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import PROJECT_DIR

pytestmark = pytest.mark.dbt
MF = Path(sys.executable).with_name("mf")
MONEY = 1e-6  # relative tolerance for money; counts are compared exactly
RATE = 1e-9


def mf_project(directory: Path, manifest: dict) -> Path:
    """A folder `mf` can run in: the project's dbt_project.yml and the given semantic manifest."""
    (directory / "target").mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT_DIR / "dbt_project.yml", directory / "dbt_project.yml")
    (directory / "target" / "semantic_manifest.json").write_text(json.dumps(manifest))
    return directory


def mf(project: Path, database: Path, *arguments: str) -> subprocess.CompletedProcess:
    """Runs `mf ARGUMENTS` in the project folder, on the project's profile and the given warehouse."""
    env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_DIR), "DBT_PROJECT_DIR": str(project),
           "ENGAGEMENT_RADAR_DB": str(database), "ENGAGEMENT_RADAR_HOME": str(PROJECT_DIR),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "NO_COLOR": "1"}
    return subprocess.run([str(MF), *arguments], cwd=project, env=env, capture_output=True, text=True, timeout=300)


def mf_query(project: Path, database: Path, *arguments: str) -> pd.DataFrame:
    """Runs `mf query ARGUMENTS --csv FILE` and returns the rows."""
    output = project / "query.csv"
    output.unlink(missing_ok=True)
    run = mf(project, database, "query", *arguments, "--csv", str(output))
    assert run.returncode == 0 and output.exists(), f"mf query {' '.join(arguments)} failed:\n{run.stdout}{run.stderr}"
    rows = pd.read_csv(output)
    assert len(rows) > 0, f"mf query {' '.join(arguments)} returned no rows"
    return rows


def months(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.strftime("%Y-%m")


def assert_counts(actual: pd.Series, expected: pd.Series, label: str):
    actual, expected = actual.fillna(0).astype("int64").to_numpy(), expected.fillna(0).astype("int64").to_numpy()
    assert (actual == expected).all(), f"{label}: {list(actual)} != {list(expected)}"


def assert_close(actual: pd.Series, expected: pd.Series, label: str, rel: float):
    pairs = list(zip(actual.astype(float), expected.astype(float), strict=True))
    bad = [(a, e) for a, e in pairs
           if not (math.isnan(a) and math.isnan(e)) and not math.isclose(a, e, rel_tol=rel, abs_tol=1e-9)]
    assert not bad, f"{label}: {len(bad)} of {len(pairs)} differ, e.g. {bad[:3]}"


@pytest.fixture(scope="module")
def built(analytics_build):
    return analytics_build


@pytest.fixture(scope="module")
def manifest(built) -> dict:
    return json.loads((built.database.parent / "target" / "semantic_manifest.json").read_text())


@pytest.fixture(scope="module")
def project(manifest, tmp_path_factory) -> Path:
    return mf_project(tmp_path_factory.mktemp("mf_project"), manifest)


@pytest.fixture(scope="module")
def query(project, built):
    def run(*arguments: str) -> pd.DataFrame:
        return mf_query(project, built.database, *arguments)
    return run


def sql(built, text: str) -> pd.DataFrame:
    with built.connect() as con:
        return con.execute(text).df()


def test_every_metric_has_a_label_and_a_description_and_the_saved_queries_exist(manifest):
    metrics = manifest["metrics"]
    assert len(metrics) >= 25
    assert not [m["name"] for m in metrics if not (m.get("label") or "").strip()]
    assert not [m["name"] for m in metrics if not (m.get("description") or "").strip()]
    kinds = {m["type"] for m in metrics}
    assert {"simple", "ratio", "derived", "cumulative", "conversion"} <= kinds
    assert {q["name"] for q in manifest["saved_queries"]} == {
        "headline_kpis", "value_segments", "monthly_kpis", "cohort_retention", "radar_segments", "signup_conversion"}
    spines = manifest["project_configuration"]["time_spines"]
    assert [s["node_relation"]["alias"] for s in spines] == ["metricflow_time_spine"]


def test_mf_validates_the_semantic_layer_against_the_warehouse(project, built):
    """Semantic checks (unique labels, valid references) and a query of every measure, dimension and metric."""
    run = mf(project, built.database, "validate-configs")
    output = run.stdout + run.stderr
    assert run.returncode == 0 and "Breaking issues" not in output, output[-3000:]
    assert output.count("ERRORS: 0") >= 6, output[-3000:]


def test_headline_kpis_equal_kpi_summary(query, built):
    got = query("--saved-query", "headline_kpis").iloc[0]
    kpis = sql(built, "select metric, value from kpi_summary").set_index("metric")["value"]
    for name, metric in [("customers", "customers"), ("active_customers_kpi_period", "active_customers"),
                         ("orders_kpi_period", "orders")]:
        assert got[name] == kpis[metric] and got[name] > 0, (name, got[name], kpis[metric])
    assert math.isclose(got["net_revenue_kpi_period"], kpis["net_revenue"], rel_tol=MONEY)
    assert math.isclose(got["average_order_value_kpi_period"], kpis["average_order_value"], rel_tol=MONEY)
    assert math.isclose(got["at_risk_rate"], kpis["at_risk_rate"], rel_tol=RATE)
    # plausible, not just equal
    assert got["active_customers_kpi_period"] <= got["customers"] and got["net_revenue_kpi_period"] > 0
    assert 0 < got["at_risk_rate"] < 1
    assert math.isclose(got["average_order_value_kpi_period"],
                        got["net_revenue_kpi_period"] / got["orders_kpi_period"], rel_tol=1e-12)


def test_value_segments_equal_customer_rfm(query, built):
    got = query("--saved-query", "value_segments").set_index("customer__value_segment").sort_index()
    expected = sql(built, """
        select value_segment, count(*) as customers, sum(monetary) as net_revenue,
               sum(case when is_at_risk then 1 else 0 end) / nullif(sum(case when frequency > 0 then 1 else 0 end), 0)
                   as at_risk_rate
        from customer_rfm group by value_segment""").set_index("value_segment").sort_index()
    assert list(got.index) == list(expected.index) and len(got) >= 4
    assert_counts(got["customers"], expected["customers"], "customers")
    assert_close(got["net_revenue"], expected["net_revenue"], "net revenue", MONEY)
    assert_close(got["at_risk_rate"], expected["at_risk_rate"].astype(float), "at-risk rate", RATE)
    assert got.loc["At-Risk / Dormant", "at_risk_rate"] == 1 and got.loc["No Purchase Yet", "net_revenue"] == 0


def test_monthly_kpis_equal_kpi_monthly(query, built):
    got = query("--saved-query", "monthly_kpis")
    got.index = months(got["metric_time__month"])
    expected = sql(built, """
        select activity_month, sum(active_customers) as active_customers, sum(orders) as orders,
               sum(net_revenue) as net_revenue, sum(new_customers) as new_customers
        from kpi_monthly group by activity_month order by activity_month""")
    expected.index = months(expected["activity_month"])
    assert list(got.index) == list(expected.index) and len(got) >= 12
    assert_counts(got["monthly_active_customers"], expected["active_customers"], "active customers")
    assert_counts(got["orders"], expected["orders"], "orders")
    assert_counts(got["new_customers"], expected["new_customers"], "new customers")
    assert_close(got["net_revenue"], expected["net_revenue"], "net revenue", MONEY)
    assert got["net_revenue"].sum() > 0 and got["monthly_active_customers"].max() > 0
    # the ratio, against direct SQL on the fact
    direct = sql(built, """
        select order_month, sum(net_revenue) / count(*) as average_order_value
        from fct_orders where not is_after_as_of_date group by order_month""")
    direct.index = months(direct["order_month"])
    aov = got["average_order_value"].dropna()
    assert len(aov) >= 12
    assert_close(aov, direct["average_order_value"].reindex(aov.index), "average order value", MONEY)


def test_cohort_retention_equals_the_mart(query, built):
    got = query("--saved-query", "cohort_retention")
    got["cohort"] = months(got["cohort__cohort_month__month"])
    got = got.set_index(["cohort", "cohort__months_since_signup"]).sort_index()
    expected = sql(built, "select * from cohort_retention")
    expected["cohort"] = months(expected["cohort_month"])
    expected = expected.set_index(["cohort", "months_since_signup"]).sort_index()
    assert list(got.index) == list(expected.index) and len(got) >= 78
    assert_counts(got["cohort_members"], expected["cohort_size"], "cohort size")
    assert_counts(got["monthly_active_customers"], expected["active_customers"], "active customers")
    assert_close(got["cohort_retention_rate"], expected["retention_rate"], "retention rate", RATE)
    assert 0 < got["cohort_retention_rate"].mean() < 1


def test_radar_segments_equal_customer_engagement_and_radar_summary(query, built):
    got = query("--saved-query", "radar_segments").set_index("customer__radar_segment").sort_index()
    expected = sql(built, """
        select radar_segment, count(*) as customers, sum(engagement_score) as engagement_score,
               avg(engagement_score) as average_engagement_score
        from customer_engagement group by radar_segment""").set_index("radar_segment").sort_index()
    assert list(got.index) == list(expected.index) and len(got) >= 4
    assert_counts(got["radar_customers"], expected["customers"], "customers")
    assert_close(got["engagement_score"], expected["engagement_score"], "engagement score", MONEY)
    assert_close(got["average_engagement_score"], expected["average_engagement_score"], "average score", MONEY)
    summary = sql(built, "select radar_segment, customers from radar_summary where customers > 0")
    assert_counts(got["radar_customers"], summary.set_index("radar_segment")["customers"].reindex(got.index),
                  "radar_summary customers")
    assert got["engagement_score"].sum() > 0


def test_signup_conversion_equals_direct_sql(query, built):
    got = query("--saved-query", "signup_conversion")
    got.index = months(got["metric_time__month"])
    direct = sql(built, """
        with signups as (
            select customer_id, signup_date from dim_customers where not is_after_as_of_date
        ),
        converted as (
            select distinct signups.customer_id
            from signups
            inner join fct_orders
                on fct_orders.customer_id = signups.customer_id
                and not fct_orders.is_after_as_of_date
                and fct_orders.ordered_date >= signups.signup_date
                and fct_orders.ordered_date < signups.signup_date + 90
        )
        select date_trunc('month', signups.signup_date) as signup_month, count(*) as signups,
               count(converted.customer_id) as conversions
        from signups left join converted on signups.customer_id = converted.customer_id
        group by 1 order by 1""")
    direct.index = months(direct["signup_month"])
    assert list(got.index) == list(direct.index)
    assert_counts(got["new_customers"], direct["signups"], "signups")
    assert_counts(got["signup_to_first_order_conversions"], direct["conversions"], "conversions")
    assert_close(got["signup_to_first_order_rate"], direct["conversions"] / direct["signups"], "rate", RATE)
    assert got["signup_to_first_order_rate"].between(0, 1).all() and got["signup_to_first_order_rate"].max() > 0.2


def test_a_ratio_by_a_joined_dimension_with_a_filter_equals_direct_sql(query, built):
    got = query("--metrics", "average_order_value,orders,net_revenue", "--group-by", "customer__country",
                "--where", "{{ Dimension('order__is_first_order') }} = true")
    got["customer__country"] = got["customer__country"].fillna("(none)")
    got = got.set_index("customer__country").sort_index()
    direct = sql(built, """
        select coalesce(dim_customers.country, '(none)') as country, count(*) as orders,
               sum(fct_orders.net_revenue) as net_revenue, sum(fct_orders.net_revenue) / count(*) as aov
        from fct_orders inner join dim_customers on fct_orders.customer_id = dim_customers.customer_id
        where fct_orders.is_first_order and not fct_orders.is_after_as_of_date
        group by 1""").set_index("country").sort_index()
    assert list(got.index) == list(direct.index) and len(got) >= 2
    assert_counts(got["orders"], direct["orders"], "first orders")
    assert_close(got["net_revenue"], direct["net_revenue"], "net revenue", MONEY)
    assert_close(got["average_order_value"], direct["aov"], "average order value", MONEY)


def test_a_wrong_metric_definition_fails_the_comparison(manifest, built, tmp_path):
    """The checks above can fail: with net revenue defined as the gross amount, the headline differs from kpi_summary
    (and `mf` reads the manifest of the folder it runs in, not the project's)."""
    wrong = json.loads(json.dumps(manifest))
    orders = next(model for model in wrong["semantic_models"] if model["name"] == "orders")
    next(measure for measure in orders["measures"] if measure["name"] == "net_revenue")["expr"] = "gross_amount"
    got = mf_query(mf_project(tmp_path, wrong), built.database, "--saved-query", "headline_kpis").iloc[0]
    expected = sql(built, "select value from kpi_summary where metric = 'net_revenue'")["value"].iloc[0]
    assert not math.isclose(got["net_revenue_kpi_period"], expected, rel_tol=MONEY)
    assert got["net_revenue_kpi_period"] > expected  # gross is before discounts and refunds
