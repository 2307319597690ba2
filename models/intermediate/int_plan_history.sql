-- Every customer's plans over time, one row per plan they were on, from the
-- plan_changes file: when it started, when the next one replaced it, and
-- whether the move to it was an upgrade or a downgrade (by the plans' rank in
-- the seed plans). A customer with no row in plan_changes (or every customer,
-- without the file) has one row: the plan in customers, from signup on. Before a
-- customer's first plan change, their plan is unknown (give each customer a
-- row at signup).
with

customers as (

    select
        customer_id,
        signup_at,
        plan
    from {{ ref('stg_raw__customers') }}

),

plan_changes as (

    select * from {{ ref('stg_raw__plan_changes') }}

),

plans as (

    select * from {{ ref('plans') }}

),

periods as (

    select
        customer_id,
        changed_at as valid_from_at,
        plan,
        'plan_changes' as plan_source
    from plan_changes
    union all
    select
        customers.customer_id,
        customers.signup_at,
        customers.plan,
        'customers' as plan_source
    from customers
    where customers.plan is not null
        and not exists (
            select 1 from plan_changes
            where plan_changes.customer_id = customers.customer_id
        )

),

ranked as (

    select
        periods.customer_id,
        coalesce(plans.plan, periods.plan) as plan,
        plans.plan_rank,
        coalesce(plans.plan_label, periods.plan) as plan_label,
        periods.valid_from_at,
        periods.plan_source
    from periods
    left join plans
        on lower(periods.plan) = lower(plans.plan)

),

sequenced as (

    select
        *,
        row_number() over (partition by customer_id order by valid_from_at) as plan_number,
        lag(plan) over (partition by customer_id order by valid_from_at) as previous_plan,
        lag(plan_rank) over (partition by customer_id order by valid_from_at) as previous_plan_rank,
        lead(valid_from_at) over (partition by customer_id order by valid_from_at) as valid_to_at
    from ranked

),

final as (

    select
        -- keys
        customer_id,
        plan_number,

        -- the plan
        plan,
        plan_rank,
        plan_label,
        plan_source,

        -- when (valid_to_at: when the next plan started; null for the current plan)
        valid_from_at,
        cast(valid_from_at as date) as valid_from_date,
        valid_to_at,
        cast(valid_to_at as date) as valid_to_date,

        -- the move to it
        previous_plan,
        previous_plan_rank,
        coalesce(plan_rank > previous_plan_rank, false) as is_upgrade,
        coalesce(plan_rank < previous_plan_rank, false) as is_downgrade

    from sequenced

)

select * from final
