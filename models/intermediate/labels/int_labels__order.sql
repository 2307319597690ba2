-- The propensity target 'order' (the default): the customers who placed an
-- order in a labelled snapshot's window (after the snapshot day, up to its
-- label_end_date). One row per snapshot and customer who reached the target.
with

snapshots as (

    select * from {{ ref('int_propensity_snapshots') }}
    where label_end_date is not null

),

orders as (

    select * from {{ ref('int_orders_sequenced') }}

),

final as (

    select
        snapshots.snapshot,
        orders.customer_id,
        count(*) as target_events
    from snapshots
    inner join orders
        on snapshots.snapshot_date < orders.ordered_date
        and snapshots.label_end_date >= orders.ordered_date
    group by snapshots.snapshot, orders.customer_id

)

select * from final
