"""The Streamlit app, run by streamlit.testing.v1.AppTest against a real published warehouse."""

from __future__ import annotations

import duckdb
import pytest
from conftest import PROJECT_DIR, warehouse_fingerprint
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.dbt
APP = str(PROJECT_DIR / "streamlit_app" / "app.py")
PAGES = ["overview", "radar", "cohorts", "segments", "targeting", "customer"]
INJECTIONS = [
    "'; drop table customer_360; --",
    "C0000001' or '1'='1",
    "%'; delete from propensity_scores where '1'='1",
    "\"; update customer_rfm set monetary = 0; --",
    "C0000001); checkpoint; attach 'x.duckdb' as x; --",
]


@pytest.fixture
def app(published_warehouse, monkeypatch):
    monkeypatch.setenv("ENGAGEMENT_RADAR_PUBLISHED_DB", str(published_warehouse))

    def open_page(page: str) -> AppTest:
        test = AppTest.from_file(APP, default_timeout=120)
        test.run()
        if page != "overview":
            test.switch_page(f"views/{page}.py").run()
        assert not test.exception, [e.message for e in test.exception]
        return test

    return open_page


def test_overview(app):
    page = app("overview")
    assert page.title[0].value == "Overview"
    labels = [metric.label for metric in page.metric]
    assert labels == ["Customers", "Active customers", "Net revenue", "Orders", "Average order value", "At-risk rate"]
    assert all(metric.value not in ("", "-") for metric in page.metric)
    assert len(page.dataframe) == 1 and len(page.dataframe[0].value) > 0  # high-revenue customers at risk
    assert any("Data as of" in caption.value for caption in page.sidebar.caption)


def test_radar(app, published_warehouse):
    page = app("radar")
    assert [metric.label for metric in page.metric] == ["Watch List", "Alert", "Potential", "Steady", "New",
                                                        "Dormant"]
    # each card: today's count and the change since the radar one quarter ago, from radar_summary
    with duckdb.connect(str(published_warehouse), read_only=True) as con:
        summary = dict(con.execute("select radar_segment, change_in_customers from radar_summary").fetchall())
        total = con.execute("select count(*) from customer_engagement").fetchone()[0]
    assert sum(int(metric.value.replace(",", "")) for metric in page.metric) == total > 0
    for metric in page.metric:
        change = summary[metric.label]
        assert metric.delta == (f"{change:+,} in a quarter" if change else None), metric.label
    assert sum(1 for metric in page.metric if metric.delta) >= 4
    alerts = page.dataframe[0].value
    assert len(alerts) > 0 and (alerts["magnitude"] > 0).all()
    page.radio[0].set_value("high_value_at_risk").run()
    assert not page.exception
    page.toggle(key="scatter_revenue").set_value(True).run()
    assert not page.exception
    page.toggle(key="quarter_change").set_value(False).run()
    assert not page.exception
    page.selectbox(key="campaign_channel").set_value("Webinar").run()
    assert not page.exception
    campaigns = page.dataframe[1].value
    assert len(campaigns) > 0 and set(campaigns["channel_label"]) == {"Webinar"}
    funnel = [box for box in page.selectbox if box.label == "Funnel"][0]
    assert funnel.value == "all channels"
    funnel.set_value("social to live event").run()
    assert not page.exception
    assert any("From the first stage to the last" in caption.value for caption in page.caption)


def test_overview_measures(app):
    page = app("overview")
    for measure in ["orders", "net_revenue", "active_customers"]:
        page.segmented_control(key="monthly_measure").set_value(measure).run()
        assert not page.exception, measure


def test_customer_page_opens_on_a_link(published_warehouse, monkeypatch):
    """The Customer page opened as ?customer=<id> (a row picked in another page's table) shows that customer."""
    monkeypatch.setenv("ENGAGEMENT_RADAR_PUBLISHED_DB", str(published_warehouse))
    test = AppTest.from_file(APP, default_timeout=120)
    test.run()
    test.switch_page("views/customer.py")
    test.query_params["customer"] = "C0000002"
    test.run()
    assert not test.exception
    assert test.selectbox(key="customer_pick").value == "C0000002"
    assert any("C0000002" in sub.value for sub in test.subheader)


def test_cohorts(app):
    page = app("cohorts")
    for measure in ["purchase_rate", "reactivation_rate", "email_click_through_rate", "retention_rate"]:
        page.segmented_control[0].set_value(measure).run()
        assert not page.exception
    cohort = page.selectbox(key="reengage_cohort")
    cohort.set_value(cohort.options[0]).run()
    assert not page.exception
    people = page.dataframe[0].value
    assert len(people) > 0 and page.download_button[0].label == "Download these customers (CSV)"
    assert "Reactivation by cohort" in [sub.value for sub in page.subheader]


def test_segments(app):
    page = app("segments")
    assert len(page.metric) >= 2
    assert all(metric.label.endswith("customers") for metric in page.metric)
    assert len(page.dataframe[0].value) == len(page.metric)


def test_targeting_filters_and_download(app):
    page = app("targeting")
    everyone = page.dataframe[0].value
    assert everyone["propensity"].is_monotonic_decreasing
    territories = page.multiselect(key="filter_territory")
    territories.set_value([territories.options[0]]).run()
    filtered = page.dataframe[0].value
    assert 0 < len(filtered) < len(everyone)
    assert set(filtered["territory"]) == {territories.options[0]}
    page.multiselect(key="filter_plan").set_value(["P2"]).run()
    both = page.dataframe[0].value
    assert set(both["plan"]) == {"P2"} and len(both) <= len(filtered)
    assert page.download_button[0].label == "Download this list (CSV)"
    metrics = page.dataframe[1].value
    assert list(metrics["model_label"])[0].startswith("Gradient boosting")
    page.multiselect(key="filter_company_size").set_value(["1000+"]).run()
    assert set(page.dataframe[0].value["company_size"]) == {"1000+"}
    page.selectbox(key="target_limit").set_value(100).run()
    assert len(page.dataframe[0].value) <= 100
    page.multiselect(key="target_columns").set_value(["industry", "recency_days"]).run()
    assert not page.exception
    # the B2B breakdown: one row per group of the chosen dimension
    for dimension in ["company_size", "segment", "plan"]:
        page.segmented_control(key="breakdown_dimension").set_value(dimension).run()
        assert not page.exception
        table = page.dataframe[-1].value
        assert len(table) >= 2 and table["customers"].sum() > 0, dimension


def test_the_app_reads_marts_only_and_the_exposure_lists_them(published_warehouse, monkeypatch):
    """Every relation the app's queries name is a mart or a public ML table (never staging or intermediate), and
    models/_exposures.yml lists exactly those."""
    import re
    import sys

    import yaml

    monkeypatch.setenv("ENGAGEMENT_RADAR_PUBLISHED_DB", str(published_warehouse))
    sys.path.insert(0, str(PROJECT_DIR / "streamlit_app"))
    import data

    sql = " ".join([*data.QUERIES.values(), data.TARGETS_SQL])
    read = set(re.findall(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)", sql)) - {"unnest"}
    assert len(read) > 15 and not {name for name in read if name.startswith(("stg_", "int_", "base_", "screen_"))}
    exposure = yaml.safe_load((PROJECT_DIR / "models" / "_exposures.yml").read_text())["exposures"][0]
    listed = {re.fullmatch(r"ref\('([a-z0-9_]+)'\)", ref).group(1) for ref in exposure["depends_on"]}
    assert listed == read


def test_customer_page_and_search(app):
    page = app("customer")
    page.text_input(key="customer_search").input("C000").run()
    assert not page.exception
    chosen = page.selectbox(key="customer_pick").value
    assert chosen.startswith("C000")
    assert any(chosen in sub.value for sub in page.subheader)
    assert any("Next best action" in box.value for box in page.success)
    for text in ("%", "C000_", "_"):  # matched literally, not as wildcards
        page.text_input(key="customer_search").input(text).run()
        assert page.info and "No customer id contains that text" in page.info[0].value, text


def test_sql_injection_changes_nothing(app, published_warehouse):
    before = warehouse_fingerprint(published_warehouse)
    page = app("customer")
    for text in INJECTIONS:
        page.text_input(key="customer_search").input(text).run()
        assert not page.exception, text
        assert page.info and "No customer id contains that text" in page.info[0].value
    targeting = app("targeting")
    for name in ["filter_territory", "filter_plan", "filter_industry", "filter_segment_name"]:
        targeting.multiselect(key=name).set_value(INJECTIONS).run()  # values a browser could never send
        assert not targeting.exception
        assert not set(targeting.multiselect(key=name).value) & set(INJECTIONS)  # the widget drops them
        targeting.multiselect(key=name).set_value([]).run()
    assert warehouse_fingerprint(published_warehouse) == before


def test_filters_only_name_known_columns(published_warehouse, monkeypatch):
    monkeypatch.setenv("ENGAGEMENT_RADAR_PUBLISHED_DB", str(published_warehouse))
    import sys

    sys.path.insert(0, str(PROJECT_DIR / "streamlit_app"))
    import data

    with pytest.raises(ValueError, match="not a filter"):
        data.targets({"plan = plan; drop table customer_360; --": ["x"]})
    assert len(data.targets({"plan": ["'; drop table customer_360; --"]})) == 0


def test_missing_warehouse_says_how_to_build(tmp_path, monkeypatch):
    monkeypatch.setenv("ENGAGEMENT_RADAR_PUBLISHED_DB", str(tmp_path / "nothing.duckdb"))
    page = AppTest.from_file(APP, default_timeout=60)
    page.run()
    assert not page.exception
    assert "No warehouse" in page.error[0].value
    assert any("make build" in block.value for block in page.markdown)
