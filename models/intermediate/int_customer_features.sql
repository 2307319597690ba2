-- Customer features at snapshot dates, for the Python models:
--   train, train_<k>        the stacked training snapshots (int_snapshot_dates),
--                           with the label target_in_horizon: did the customer
--                           reach the propensity target (an order, a campaign
--                           response or a plan upgrade: var('propensity_target'),
--                           one label model each) in the horizon after it?
--   backtest, backtest_<k>  the same one horizon earlier: models trained there
--                           are evaluated on the train snapshot (out of time)
--   score                   as_of_date, label unknown.
-- (the labelled snapshots only when the models train: int_ml_retrain)
-- Every feature of a snapshot reads only rows dated on or before the snapshot
-- date (tested by rebuilding on data cut at the training date): the scores and
-- windows come from int_engagement_snapshots, the order statistics from
-- int_order_snapshots, both measured on the snapshot day.
{%- set channel_groups = channel_groups() %}
{%- set networks = social_networks() %}
{%- set lags = [(0, 29), (30, 59), (60, 89)] %}
-- depends_on: {{ ref('channel_event_weights') }}
with

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

histories as (

    select * from {{ ref('int_purchase_histories') }}

),

btyd as (

    -- each snapshot's BG/NBD fit reads only the orders up to its day
    select * from {{ ref('btyd_scores') }}

),

snapshots as (

    -- the labelled snapshots (training and backtest), each with its label window, and the scoring snapshot
    select * from {{ ref('int_propensity_snapshots') }}

),

engagement_snapshots as (

    select * from {{ ref('int_engagement_snapshots') }}

),

order_snapshots as (

    select * from {{ ref('int_order_snapshots') }}

),

plan_history as (

    select * from {{ ref('int_plan_history') }}

),

labels as (

    -- who reached the propensity target (var('propensity_target')) in each labelled snapshot's window
    select * from {{ propensity_label_model() }}

),

members as (

    select
        snapshots.snapshot,
        snapshots.snapshot_date,
        snapshots.prior_quarter_date,
        snapshots.label_end_date,
        customers.*
    from snapshots
    inner join customers
        on snapshots.snapshot_date >= customers.signup_date

),

final as (

    select
        -- keys
        members.customer_id,
        members.snapshot,
        members.snapshot_date,

        -- tenure and orders
        {{ days_between('members.signup_date', 'members.snapshot_date') }} as tenure_days,
        coalesce(order_stats.frequency, 0) as frequency,
        coalesce(order_stats.monetary, 0) as monetary,
        coalesce(order_stats.monetary / order_stats.frequency, 0) as average_order_value,
        coalesce(order_stats.discount_spend / nullif(order_stats.gross_spend, 0), 0) as discount_share,
        order_stats.last_order_date is not null as has_ordered,
        coalesce(
            {{ days_between('order_stats.last_order_date', 'members.snapshot_date') }},
            {{ days_between('members.signup_date', 'members.snapshot_date') }}
        ) as days_since_last_order,
        coalesce(order_stats.orders_90d, 0) as orders_90d,
        coalesce(order_stats.net_revenue_90d, 0) as net_revenue_90d,

        -- purchase history in measures that do not grow with calendar time (0 without orders)
        coalesce(histories.age_days, 0) as purchase_age_days,
        coalesce(histories.repeat_purchases, 0) as repeat_purchases,
        coalesce(cast(histories.repeat_purchases as {{ type_double() }}) / nullif(histories.age_days, 0), 0)
            as purchases_per_day_of_age,
        coalesce(
            cast(histories.age_days - histories.recency_days as {{ type_double() }}) / nullif(histories.age_days, 0),
            0
        ) as quiet_share_of_age,
        coalesce(
            cast(histories.age_days - histories.recency_days as {{ type_double() }}) * histories.repeat_purchases
            / nullif(histories.recency_days, 0),
            0
        ) as days_since_last_order_per_gap,
        ln(1 + greatest(coalesce(order_stats.monetary, 0), 0)) as log_monetary,
        ln(1 + greatest(coalesce(order_stats.monetary / order_stats.frequency, 0), 0)) as log_average_order_value,

        -- the buy-till-you-die model at the snapshot (0 without orders)
        coalesce(btyd.p_alive, 0) as btyd_p_alive,
        coalesce(btyd.expected_purchases, 0) as btyd_expected_purchases,
        coalesce(btyd.probability_of_purchase, 0) as btyd_probability_of_purchase,

        -- engagement
        coalesce(engagement.engagement_score, 0) as engagement_score,
        {% for group in channel_groups -%}
        coalesce(engagement.score_{{ group }}, 0) as {{ group }}_score,
        {% endfor -%}
        coalesce(engagement_earlier.engagement_score, 0) as engagement_score_quarter_earlier,
        coalesce(engagement.engagement_score, 0)
        - coalesce(engagement_earlier.engagement_score, 0) as engagement_trend,
        coalesce(
            {{ days_between('engagement.last_engagement_date', 'members.snapshot_date') }},
            {{ days_between('members.signup_date', 'members.snapshot_date') }}
        ) as days_since_last_engagement,
        coalesce(engagement.active_engagements_30d, 0) as active_engagements_30d,
        coalesce(engagement.active_engagements_90d, 0) as active_engagements_90d,
        coalesce(engagement.clicks_90d, 0) as clicks_90d,
        coalesce(engagement.registrations_90d, 0) as registrations_90d,
        coalesce(engagement.attendances_90d, 0) as attendances_90d,
        {% for low, high in lags -%}
        coalesce(engagement.active_user_days_{{ low }}_{{ high }}d, 0) as active_user_days_{{ low }}_{{ high }}d,
        coalesce(engagement.support_sessions_{{ low }}_{{ high }}d, 0) as support_sessions_{{ low }}_{{ high }}d,
        {% endfor -%}
        {% for network in networks -%}
        {% for low, high in lags -%}
        coalesce(engagement.{{ network }}_impressions_{{ low }}_{{ high }}d, 0)
            as {{ network }}_impressions_{{ low }}_{{ high }}d,
        {% endfor -%}
        {% endfor -%}

        -- attributes
        coalesce(plan_at_snapshot.plan, 'unknown') as plan,
        coalesce(members.territory, 'unknown') as territory,
        coalesce(members.industry, 'unknown') as industry,
        coalesce(members.company_size, 'unknown') as company_size,

        -- label (the labelled snapshots only): did the customer reach the target in the horizon after it?
        case when members.snapshot <> 'score' then labels.customer_id is not null end as target_in_horizon

    from members
    left join order_snapshots as order_stats
        on members.snapshot_date = order_stats.snapshot_date
        and members.customer_id = order_stats.customer_id
    left join histories
        on members.snapshot_date = histories.snapshot_date
        and members.customer_id = histories.customer_id
    left join btyd
        on members.snapshot = btyd.snapshot
        and members.customer_id = btyd.customer_id
    left join engagement_snapshots as engagement
        on members.snapshot_date = engagement.snapshot_date
        and members.customer_id = engagement.customer_id
    left join engagement_snapshots as engagement_earlier
        on members.prior_quarter_date = engagement_earlier.snapshot_date
        and members.customer_id = engagement_earlier.customer_id
    left join plan_history as plan_at_snapshot
        on members.customer_id = plan_at_snapshot.customer_id
        and members.snapshot_date >= plan_at_snapshot.valid_from_date
        and (members.snapshot_date < plan_at_snapshot.valid_to_date or plan_at_snapshot.valid_to_date is null)
    left join labels
        on members.snapshot = labels.snapshot
        and members.customer_id = labels.customer_id

)

select * from final
