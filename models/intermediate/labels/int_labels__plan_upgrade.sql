-- The propensity target 'plan_upgrade': the customers who moved to a
-- higher-ranked plan (the seed plans) in a labelled snapshot's window. Needs the
-- plan_changes file: without it the run stops before anything builds.
{{ config(meta={'requires_raw_files': ['plan_changes'],
                'requires_reason': 'Upgrades are read from the history of plan changes; the plan in customers is '
                                   'only the current plan.'}) }}
with

snapshots as (

    select * from {{ ref('int_propensity_snapshots') }}
    where label_end_date is not null

),

plan_history as (

    select * from {{ ref('int_plan_history') }}

),

final as (

    select
        snapshots.snapshot,
        plan_history.customer_id,
        count(*) as target_events
    from snapshots
    inner join plan_history
        on plan_history.is_upgrade
        and snapshots.snapshot_date < plan_history.valid_from_date
        and snapshots.label_end_date >= plan_history.valid_from_date
    group by snapshots.snapshot, plan_history.customer_id

)

select * from final
