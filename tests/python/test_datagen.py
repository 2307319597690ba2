"""The demo-data generator: determinism, the contract's schema, planted truths, injected defects."""

from __future__ import annotations

import filecmp
import json

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import SMALL, make_data, manifest

from engagement_radar.datagen.__main__ import main
from engagement_radar.datagen.dirty import ACCEPTED_EVENTS, REJECTED
from engagement_radar.datagen.writers import SCHEMAS

FILES = ("customers", "orders", "engagement_events", "campaigns", "plan_changes")


@pytest.mark.parametrize("file_format", ["parquet", "csv"])
def test_same_arguments_give_byte_identical_files(tmp_path, file_format):
    first = make_data(tmp_path / "a", file_format=file_format, dirty=True)
    second = make_data(tmp_path / "b", file_format=file_format, dirty=True)
    names = [f"{name}.{file_format}" for name in FILES] + ["_truth/customers.csv"]
    match, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)
    assert mismatch == [] and errors == []
    assert (manifest(first)["rows"] == manifest(second)["rows"])


def test_another_seed_gives_other_data(tmp_path):
    first = make_data(tmp_path / "a", customers=300)
    second = make_data(tmp_path / "b", customers=300, seed=SMALL["seed"] + 1)
    assert not filecmp.cmp(first / "orders.parquet", second / "orders.parquet", shallow=False)


def test_clean_parquet_follows_the_contract(clean_parquet):
    for name in FILES:
        schema = pq.read_schema(clean_parquet / f"{name}.parquet")
        assert schema.names == SCHEMAS[name].names
        assert schema.equals(SCHEMAS[name]), name
    rows = manifest(clean_parquet)["rows"]
    assert rows["customers"] == SMALL["customers"]
    assert rows["engagement_events"] > 40 * SMALL["customers"]
    assert rows["orders"] > SMALL["customers"]


def test_clean_data_is_internally_consistent(clean_parquet):
    con = duckdb.connect()
    con.execute(f"set TimeZone = 'UTC'; set file_search_path = '{clean_parquet}'")
    m = manifest(clean_parquet)
    checks = {
        "duplicate event ids": "select count(*) - count(distinct event_id) from 'engagement_events.parquet'",
        "duplicate order ids": "select count(*) - count(distinct order_id) from 'orders.parquet'",
        "events before signup": """select count(*) from 'engagement_events.parquet' e
                                   join 'customers.parquet' c using (customer_id) where e.occurred_at < c.signup_at""",
        "orders before signup": """select count(*) from 'orders.parquet' o
                                   join 'customers.parquet' c using (customer_id) where o.ordered_at < c.signup_at""",
        "orphan events": """select count(*) from 'engagement_events.parquet'
                            where customer_id not in (select customer_id from 'customers.parquet')""",
        "rows after the end date": f"""select count(*) from 'engagement_events.parquet'
                                       where occurred_at >= date '{m['end_date']}' + interval 1 day""",
        "negative amounts": "select count(*) from 'orders.parquet' where gross_amount < 0 or refund_amount < 0",
        "refunds above the net": """select count(*) from 'orders.parquet'
                                     where refund_amount > gross_amount - discount_amount + 0.01""",
    }
    for label, sql in checks.items():
        assert con.execute(sql).fetchall()[0][0] == 0, label


def test_data_looks_like_the_brief(clean_parquet):
    """Every later mart needs something true to find: channels, content effects, funnel, personas."""
    con = duckdb.connect()
    con.execute(f"set file_search_path = '{clean_parquet}'")
    channels = {row[0] for row in con.execute("select distinct channel from 'engagement_events.parquet'").fetchall()}
    assert channels == {"email", "webinar", "live_event", "linkedin", "twitter", "facebook", "instagram", "web",
                        "sales_call", "product", "support"}
    attendance_per_webinar = dict(con.execute("""
        select c.content_type, count(*) filter (where e.event_type = 'attend') / count(distinct c.campaign_id)
        from 'campaigns.parquet' c left join 'engagement_events.parquet' e using (campaign_id)
        where c.channel = 'webinar' group by 1""").fetchall())
    assert attendance_per_webinar["academic"] > 2 * attendance_per_webinar["greeting"]
    social_to_live = con.execute("""
        with social as (select distinct customer_id from 'engagement_events.parquet'
                        where channel in ('linkedin', 'twitter', 'facebook', 'instagram') and event_type = 'click'),
             live as (select distinct customer_id from 'engagement_events.parquet'
                      where channel = 'live_event' and event_type = 'attend')
        select count(live.customer_id) / count(*) from social left join live using (customer_id)""").fetchall()[0][0]
    assert 0.25 < social_to_live < 0.6
    growth = con.execute("""select count(*) filter (where signup_at >= (select max(signup_at) - interval 3 month
                            from 'customers.parquet')) / count(*) from 'customers.parquet'""").fetchall()[0][0]
    assert growth > 3 / SMALL["months"]  # signups grow over time


def test_planted_trends_and_personas(clean_parquet):
    con = duckdb.connect()
    con.execute(f"set file_search_path = '{clean_parquet}'")
    m = manifest(clean_parquet)
    truth = f"read_csv('{clean_parquet}/_truth/customers.csv')"
    by_group = dict((row[0], row[1:]) for row in con.execute(f"""
        with active as (
            select customer_id, occurred_at from 'engagement_events.parquet'
            where event_type not in ('delivered', 'impression')
        )
        select case when t.is_decliner then 'decliner' when t.is_riser then 'riser' else 'other' end,
               count(*) filter (where occurred_at >= date '{m['end_date']}' - interval 90 day),
               count(*) filter (where occurred_at < date '{m['end_date']}' - interval 90 day
                                  and occurred_at >= date '{m['end_date']}' - interval 180 day)
        from active join {truth} t using (customer_id) group by 1""").fetchall())
    last, previous = by_group["decliner"]
    assert last < 0.25 * previous
    last, previous = by_group["riser"]
    assert last > 2.5 * previous
    personas = dict(con.execute(f"select persona, count(*) from {truth} group by 1").fetchall())
    assert set(personas) == {"high_value_loyal", "discount_driven", "new_low_engagement", "dormant"}
    assert personas == m["personas"]
    orders = {row[0]: row[1:] for row in con.execute(f"""
        select t.persona, avg(gross_amount), avg((discount_amount > 0)::int)
        from 'orders.parquet' o join {truth} t using (customer_id) group by 1""").fetchall()}
    assert orders["high_value_loyal"][0] > 2 * orders["discount_driven"][0]  # order value
    assert orders["discount_driven"][1] > 3 * orders["high_value_loyal"][1]  # share of orders discounted


def test_dirty_rows_are_recorded_exactly(clean_parquet, dirty_parquet):
    clean, dirty = manifest(clean_parquet), manifest(dirty_parquet)
    assert dirty["dirty"]["rejected"] == REJECTED
    for name in FILES:
        injected = sum(REJECTED[name].values()) + (sum(ACCEPTED_EVENTS.values()) if name == "engagement_events" else 0)
        assert dirty["rows"][name] == clean["rows"][name] + injected, name
    assert all(count > 0 for count in dirty["dirty"]["offset_timestamps"].values())


def test_dirty_csv_holds_offsets_and_bad_values(dirty_csv):
    text = (dirty_csv / "orders.csv").read_text()
    assert "not a date" in text and "12,50" in text
    assert "+05:30" in text or "-05:00" in text or "+02:00" in text


def test_command_line(tmp_path, capsys):
    assert main(["--customers", "50", "--months", "3", "--out", str(tmp_path), "--format", "csv", "--quiet"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rows"]["customers"] == 50
    assert (tmp_path / "engagement_events.csv").exists()
    with pytest.raises(SystemExit):
        main(["--customers", "0", "--out", str(tmp_path)])


@pytest.mark.parametrize("file_format", ["parquet", "csv"])
def test_held_back_days_append_to_the_same_data(tmp_path, file_format):
    """Holding back two days and appending them gives the rows of a plain run: the same rows, new ones last."""
    whole = make_data(tmp_path / "whole", customers=400, months=2, file_format=file_format)
    held = make_data(tmp_path / "held", customers=400, months=2, file_format=file_format, hold_back_days=2)
    assert sorted(p.name for p in (held / "_pending").iterdir()) == ["2026-06-29", "2026-06-30"]
    reader = "read_parquet('{}')" if file_format == "parquet" else "read_csv('{}', all_varchar = true)"
    with duckdb.connect() as con:
        def rows(path):
            return con.execute(f"select count(*) from {reader.format(path)}").fetchall()[0][0]

        before = rows(held / f"engagement_events.{file_format}")
        assert main(["--out", str(held), "--append-day", "--quiet"]) == 0
        assert main(["--out", str(held), "--append-day", "--quiet"]) == 0
        assert not (held / "_pending").exists()
        with pytest.raises(SystemExit):  # nothing left to append: a clear error, not a traceback
            main(["--out", str(held), "--append-day"])
        for name in ("customers", "orders", "engagement_events", "plan_changes"):
            a, b = reader.format(held / f"{name}.{file_format}"), reader.format(whole / f"{name}.{file_format}")
            assert con.execute(f"select count(*) from (from {a} except all from {b})").fetchall()[0][0] == 0, name
            assert con.execute(f"select count(*) from (from {b} except all from {a})").fetchall()[0][0] == 0, name
        # the appended rows come after the rows that were there
        late = con.execute(f"""select count(*) from (select *, row_number() over () as n
                                                      from {reader.format(held / f'engagement_events.{file_format}')})
                               where n > {before} and cast(occurred_at as timestamp) < timestamp '2026-06-29'"""
                           ).fetchall()[0][0]
        assert late > 0  # late events of earlier days arrive with the appended days


# Plans and account signals: 18 months, so that two 90-day windows have 60 days of history before them.
ACCOUNTS = {"customers": 2_500, "months": 18, "seed": 11}


@pytest.fixture(scope="module")
def accounts(tmp_path_factory):
    directory = make_data(tmp_path_factory.mktemp("accounts"), **ACCOUNTS)
    con = duckdb.connect()
    con.execute(f"set TimeZone = 'UTC'; set file_search_path = '{directory}'")
    con.execute(f"""create table truth as select * from read_csv('{directory}/_truth/customers.csv')""")
    con.execute("""create table moves as
                   select customer_id, changed_at, plan,
                          cast(plan[2:] as int) - lag(cast(plan[2:] as int)) over w as step,
                          row_number() over w as n
                   from 'plan_changes.parquet' window w as (partition by customer_id order by changed_at)""")
    yield directory, con
    con.close()


def test_plan_changes_in_both_formats(accounts, tmp_path):
    directory, _ = accounts
    assert pq.read_schema(directory / "plan_changes.parquet").equals(SCHEMAS["plan_changes"])
    csv = make_data(tmp_path, customers=300, months=6, file_format="csv")
    with (csv / "plan_changes.csv").open() as lines:
        assert lines.readline().strip().replace('"', "").split(",") == SCHEMAS["plan_changes"].names
    assert manifest(csv)["rows"]["plan_changes"] >= 300


def test_plan_history_is_consistent(accounts):
    directory, con = accounts

    def scalar(sql):
        return con.execute(sql).fetchall()[0][0]

    customers = ACCOUNTS["customers"]
    # every customer starts with a row at signup, on the plan recorded as their first
    assert scalar("""select count(*) from moves m join 'customers.parquet' c using (customer_id) join truth t
                     using (customer_id) where m.n = 1 and m.changed_at = c.signup_at
                     and m.plan = t.initial_plan""") == customers
    assert scalar("select count(distinct customer_id) from moves") == customers
    assert {row[0] for row in con.execute("select distinct plan from moves").fetchall()} == {"P1", "P2", "P3"}
    # one tier at a time, never a repeat of the plan in force
    assert scalar("select count(*) from moves where n > 1 and abs(step) != 1") == 0
    # the customers file holds each customer's plan at the end of the data
    assert scalar("""select count(*) from 'customers.parquet' c
                     join (select customer_id, arg_max(plan, changed_at) as plan from moves group by 1) last
                     using (customer_id) where c.plan = last.plan""") == customers
    m = manifest(directory)
    counted = dict(con.execute("""select case when step = 1 then 'upgrades' else 'downgrades' end, count(*)
                                  from moves where n > 1 group by 1""").fetchall())
    assert m["planted"]["plan_changes"] == counted
    assert counted["downgrades"] < 0.25 * counted["upgrades"]
    assert scalar(f"select count(*) from moves where changed_at >= date '{m['end_date']}' + interval 1 day") == 0


def test_upgrades_follow_recent_product_use(accounts):
    directory, con = accounts
    end = manifest(directory)["end_date"]
    for windows_back in (0, 1):
        start = f"date '{end}' + interval 1 day - interval {90 * (windows_back + 1)} day"
        upgraded, customers, use_upgraded, use_others = con.execute(f"""
            with upgraded as (
                select distinct customer_id from moves
                where step = 1 and changed_at >= {start} and changed_at < {start} + interval 90 day
            ),
            use as (
                select customer_id, count(*) as active_users from 'engagement_events.parquet'
                where event_type = 'active_user' and occurred_at >= {start} - interval 60 day
                  and occurred_at < {start}
                group by 1
            )
            select count(upgraded.customer_id), count(*),
                   avg(coalesce(use.active_users, 0)) filter (where upgraded.customer_id is not null),
                   avg(coalesce(use.active_users, 0)) filter (where upgraded.customer_id is null)
            from 'customers.parquet' c
            left join upgraded using (customer_id)
            left join use using (customer_id)
            where c.signup_at < {start}""").fetchall()[0]
        print(f"window {windows_back}: {upgraded} of {customers} upgraded; active users in the 60 days before:"
              f" {use_upgraded:.1f} (upgraded) vs {use_others:.1f}")
        assert 0.02 <= upgraded / customers <= 0.10
        assert use_upgraded > 1.5 * use_others


def test_product_and_support_events(accounts):
    _, con = accounts
    counts = dict(((channel, event_type), (events, with_campaign)) for channel, event_type, events, with_campaign
                  in con.execute("""select channel, event_type, count(*), count(campaign_id)
                                    from 'engagement_events.parquet' where channel in ('product', 'support')
                                    group by all""").fetchall())
    assert set(counts) == {("product", "active_user"), ("support", "technical_session"), ("support", "support_case")}
    assert all(with_campaign == 0 for _, with_campaign in counts.values())
    total = con.execute("select count(*) from 'engagement_events.parquet'").fetchall()[0][0]
    assert sum(events for events, _ in counts.values()) < 0.25 * total
    # bigger companies have more active users
    by_size = dict(con.execute("""select c.company_size, count(e.customer_id) / count(distinct c.customer_id)
                                  from 'customers.parquet' c left join 'engagement_events.parquet' e
                                  on e.customer_id = c.customer_id and e.event_type = 'active_user'
                                  group by 1""").fetchall())
    assert by_size["1000+"] > 2 * by_size["1-10"]


def test_responsiveness_drives_campaign_responses(accounts):
    _, con = accounts
    clicks, registrations, spend = con.execute("""
        with email as (
            select customer_id, count(*) filter (where event_type = 'click') / count(*) filter (where event_type =
                   'delivered') as click_rate
            from 'engagement_events.parquet' where channel = 'email' group by 1
            having count(*) filter (where event_type = 'delivered') >= 10
        ),
        registered as (
            select customer_id, count(*) as registrations from 'engagement_events.parquet'
            where event_type = 'register' group by 1
        ),
        spend as (select customer_id, avg(gross_amount) as order_value from 'orders.parquet' group by 1)
        select corr(t.responsiveness, email.click_rate),
               corr(t.responsiveness, coalesce(registered.registrations, 0)),
               corr(ln(t.responsiveness), ln(spend.order_value))
        from truth t join email using (customer_id) left join registered using (customer_id)
        left join spend using (customer_id)""").fetchall()[0]
    print(f"responsiveness vs click rate {clicks:.2f}, registrations {registrations:.2f}, order value {spend:.2f}")
    assert clicks > 0.2 and registrations > 0.1 and spend > 0.1
