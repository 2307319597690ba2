-- Moves between plans, per month: month x from plan x to plan, with the
-- customers who moved and how many moves were upgrades or downgrades (by the
-- plans' rank in the seed plans). Moves up to as_of_date; a customer's first
-- plan is not a move. Empty without the plan_changes file.
with

plan_history as (

    select * from {{ ref('int_plan_history') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

moves as (

    select
        cast({{ dbt.date_trunc('month', 'plan_history.valid_from_date') }} as date) as movement_month,
        plan_history.previous_plan as from_plan,
        plan_history.previous_plan_rank as from_plan_rank,
        plan_history.plan as to_plan,
        plan_history.plan_rank as to_plan_rank,
        plan_history.customer_id,
        plan_history.is_upgrade,
        plan_history.is_downgrade
    from plan_history
    cross join reporting_dates
    where plan_history.previous_plan is not null
        and plan_history.previous_plan <> plan_history.plan
        and plan_history.valid_from_date <= reporting_dates.as_of_date

),

final as (

    select
        -- keys
        movement_month,
        from_plan,
        to_plan,

        -- the ranks
        min(from_plan_rank) as from_plan_rank,
        min(to_plan_rank) as to_plan_rank,

        -- counts
        count(distinct customer_id) as customers,
        count(*) as moves,
        {{ count_if('is_upgrade') }} as upgrades,
        {{ count_if('is_downgrade') }} as downgrades

    from moves
    group by movement_month, from_plan, to_plan

)

select * from final
