-- The propensity target by customer group, for each of plan, territory,
-- industry, company size and ML segment: today's customers and their mean
-- propensity, and from the backtest (a model trained one horizon before the
-- training snapshot, scored on what happened after it) the observed target
-- rate, the mean propensity it predicted and the lift of the group's rate over
-- everyone's. The B2B view of the propensity model.
{%- set dimensions = ['plan', 'territory', 'industry', 'company_size'] %}
with

scores as (

    select * from {{ ref('propensity_scores') }}

),

features as (

    -- the attributes on the scoring day (the plan as of as_of_date)
    select * from {{ ref('int_customer_features') }}
    where snapshot = 'score'

),

segments as (

    select * from {{ ref('customer_segments') }}

),

backtest as (

    select * from {{ ref('propensity_backtest_breakdowns') }}

),

scored as (

    select
        scores.customer_id,
        scores.propensity,
        scores.is_target,
        {% for dimension in dimensions -%}
        features.{{ dimension }},
        {% endfor -%}
        coalesce(segments.segment_name, 'unknown') as segment
    from scores
    inner join features
        on scores.customer_id = features.customer_id
    left join segments
        on scores.customer_id = segments.customer_id

),

by_group as (

    {% for dimension in dimensions + ['segment'] -%}
    select
        '{{ dimension }}' as dimension,
        {{ dbt.cast(dimension, api.Column.translate_type('string')) }} as value,
        count(*) as customers,
        avg(propensity) as mean_propensity,
        {{ count_if('is_target') }} as target_customers
    from scored
    group by {{ dimension }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

overall as (

    select avg(propensity) as mean_propensity from scored

),

model as (

    -- every row of the scores names the same model. An aggregate, not `limit 1`: DuckDB 2.0 can wait forever on a
    -- limit over a CTE that is read twice (it did here, on a million customers' refresh); no row when no scores
    select
        max(model_id) as model_id,
        max(propensity_target) as propensity_target
    from scores
    having count(*) > 0

),

final as (

    select
        -- keys
        coalesce(by_group.dimension, backtest.dimension) as dimension,
        coalesce(by_group.value, backtest.value) as value,

        -- today
        coalesce(by_group.customers, 0) as customers,
        by_group.mean_propensity,
        by_group.mean_propensity / nullif(overall.mean_propensity, 0) as propensity_lift,
        coalesce(by_group.target_customers, 0) as target_customers,

        -- the backtest
        coalesce(backtest.customers, 0) as backtest_customers,
        backtest.target_rate as backtest_target_rate,
        backtest.mean_propensity as backtest_mean_propensity,
        backtest.lift as backtest_lift,
        backtest.overall_target_rate as backtest_overall_target_rate,

        -- the model
        model.propensity_target,
        model.model_id

    from by_group
    full outer join backtest
        on by_group.dimension = backtest.dimension
        and by_group.value = backtest.value
    cross join overall
    cross join model

)

select * from final
