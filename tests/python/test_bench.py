"""`make bench` at a CI size: the runner works from a clean clone, its three implementations of the core marts agree,
and the report it writes holds every step."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import PROJECT_DIR

pytestmark = pytest.mark.dbt


def test_the_benchmark_runs_and_its_implementations_agree(tmp_path):
    report = tmp_path / "BENCHMARKS.md"
    report.write_text("# Benchmarks\n\n<!-- scale 1500 -->\nan old section\n<!-- /scale 1500 -->\n\nkept text\n")
    work = tmp_path / "work"
    result = subprocess.run(
        [sys.executable, "-m", "engagement_radar.bench", "--customers", "1500", "--months", "6", "--work",
         str(work), "--output", str(report)],
        cwd=PROJECT_DIR, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    text = report.read_text()
    assert "an old section" not in text and "kept text" in text, "the section of this scale is replaced in place"
    for label in ("core marts, dbt", "core marts, pandas notebook", "core marts, bare DuckDB floor", "full build",
                  "one-day refresh", "full build, 200 customers"):
        assert f"| {label} |" in text, label
    assert text.count("gives the warehouse's numbers for customer_rfm, cohort_retention, customer_engagement, "
                      "kpi_monthly: yes") == 2

    results = json.loads((work / "results.json").read_text())
    steps = results["steps"]
    assert set(steps) == {"core_dbt", "core_pandas", "core_floor", "full", "incremental", "fixed"}
    for key, measured in steps.items():
        assert measured["cpu"] > 0 and measured["wall"] > 0 and measured["peak_gb"] > 0.01, key
    assert results["appended"]["engagement_events"] > 0 and results["appended"]["orders"] > 0
    # the core selection is a strict subset of the full build, and the refresh runs on the appended files
    assert 0 < results["core_nodes"] < results["full_nodes"]
    assert results["before"]["customers"] > 1000
    assert not [child for child in work.iterdir() if child.name != "results.json"], "the scratch files are removed"


def test_the_reimplementations_sum_money_exactly_as_the_warehouse_does(tmp_path):
    """Two customers who spent the same - one in a single order of 0.30, the other in orders of 0.10 and 0.20, whose
    floating-point sum is 0.30000000000000004 - tie on monetary in the warehouse (exact sums), so they share an
    m_score. The pandas notebook and the bare DuckDB floor must tie them too: at 1,000,000 customers float sums
    split such ties and the floor disagreed with the warehouse on two or three m_scores."""
    import pandas as pd
    from conftest import make_data

    from engagement_radar.bench import floor, notebook

    raw = make_data(tmp_path / "raw")
    orders = pd.read_parquet(raw / "orders.parquet")
    # five buyers: 0.30 (one order), 0.10 + 0.20, 1, 2 and 3; tied, the two 0.30s score 2, split, 1 and 2
    buyers = orders["customer_id"].drop_duplicates().head(5).tolist()
    spent = [(buyers[0], 0.3), (buyers[1], 0.1), (buyers[1], 0.2), (buyers[2], 1.0), (buyers[3], 2.0),
             (buyers[4], 3.0)]
    template = orders.iloc[0].to_dict()
    pd.DataFrame([
        {**template, "order_id": number, "customer_id": customer, "gross_amount": amount, "discount_amount": 0.0,
         "refund_amount": 0.0}
        for number, (customer, amount) in enumerate(spent, 1)
    ]).astype(orders.dtypes.to_dict()).to_parquet(raw / "orders.parquet", index=False)
    assert 0.1 + 0.2 != 0.3
    for module in (floor, notebook):
        out = tmp_path / module.__name__.rsplit(".", 1)[-1]
        assert module.main([str(raw), str(out)]) == 0
        rfm = pd.read_parquet(out / "customer_rfm.parquet").set_index("customer_id")
        scores = rfm.loc[buyers, "m_score"].astype(int).tolist()
        assert scores == [2, 2, 3, 4, 5], (module.__name__, scores)
