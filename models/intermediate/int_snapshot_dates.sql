-- The days customers are measured on in this run, one row per role:
--   as_of                as_of_date: every as-of mart
--   prior_quarter        as_of_date minus three months: the radar's earlier score
--   second_prior_quarter three months before that: the radar one quarter ago
--   prior_kpi_period     the last day of the KPI period before the current one
--   train                as_of_date minus var('propensity_horizon_days'): the
--                        propensity model's (latest) training snapshot
--   train_<k>            k x var('propensity_snapshot_step_days') before it, for
--                        k < var('propensity_snapshots'): stacked training snapshots
--   backtest, backtest_<k>  the same, one horizon earlier: models trained there
--                        are evaluated on the training snapshot's outcomes, out of
--                        time (the backtest)
--   <each of those>_prior_quarter  three months before it (the engagement trend)
-- (the training and backtest days only when the models train again,
-- int_ml_retrain, and a model that trains on them is selected in this
-- invocation, or the ML runs as its own step, var('ml_steps_outside_dbt'): a build
-- of the core marts alone does not measure them)
-- and what each is measured for: engagement scores, the engagement windows
-- (activity in the last 30 and 90 days ...), order statistics.
-- int_engagement_snapshots and int_order_snapshots measure every customer on
-- these days, reading only what happened on or before each.
{#- var('ml_steps_outside_dbt'): the ML runs as a separate step after this build (engagement_radar.spark) -#}
{%- set trains_here = namespace(value=not execute or var('ml_steps_outside_dbt', false)) %}
{%- for trainer in ['propensity_model', 'segment_model', 'btyd_model'] %}
{%- if ('model.' ~ project_name ~ '.' ~ trainer) in selected_resources %}{% set trains_here.value = true %}{% endif %}
{%- endfor %}
with

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

retrain as (

    -- the training snapshots are measured only when the models train again
    select * from {{ ref('int_ml_retrain') }}

),

roles as (

    select
        'as_of' as snapshot_role,
        as_of_date as snapshot_date,
        true as measures_engagement,
        true as counts_windows,
        true as measures_orders
    from reporting_dates
    union all
    select
        'prior_quarter' as snapshot_role,
        prior_quarter_date as snapshot_date,
        true as measures_engagement,
        false as counts_windows,
        false as measures_orders
    from reporting_dates
    union all
    select
        'second_prior_quarter' as snapshot_role,
        second_prior_quarter_date as snapshot_date,
        true as measures_engagement,
        false as counts_windows,
        false as measures_orders
    from reporting_dates
    union all
    select
        'prior_kpi_period' as snapshot_role,
        prior_kpi_period_end as snapshot_date,
        false as measures_engagement,
        false as counts_windows,
        true as measures_orders
    from reporting_dates
    {#- the labelled snapshots, only when the models train: the stacked training snapshots and, one horizon
        earlier, the backtest's -#}
    {%- for set_name, shift in [('train', 1), ('backtest', 2)] %}
    {%- for k in range(var('propensity_snapshots')) %}
    {%- set role = set_name if k == 0 else set_name ~ '_' ~ k %}
    {%- set days_back = shift * var('propensity_horizon_days') + k * var('propensity_snapshot_step_days') %}
    union all
    select
        '{{ role }}' as snapshot_role,
        cast({{ dbt.dateadd('day', -days_back, 'reporting_dates.as_of_date') }} as date) as snapshot_date,
        true as measures_engagement,
        true as counts_windows,
        true as measures_orders
    from reporting_dates
    cross join retrain
    where retrain.retrain and {{ 'true' if trains_here.value else 'false' }}
    union all
    select
        '{{ role }}_prior_quarter' as snapshot_role,
        cast({{ dbt.dateadd('month', -3, dbt.dateadd('day', -days_back, 'reporting_dates.as_of_date')) }} as date)
            as snapshot_date,
        true as measures_engagement,
        false as counts_windows,
        false as measures_orders
    from reporting_dates
    cross join retrain
    where retrain.retrain and {{ 'true' if trains_here.value else 'false' }}
    {%- endfor %}
    {%- endfor %}

),

final as (

    select
        snapshot_role,
        snapshot_date,
        cast({{ dbt.date_trunc('month', 'snapshot_date') }} as date) as snapshot_month,
        measures_engagement,
        counts_windows,
        measures_orders
    from roles

)

select * from final
