-- Every purchaser measured on each snapshot day of int_snapshot_dates, from
-- their orders on or before that day: the one definition of a customer's order
-- statistics, read by RFM, the KPIs and the ML features.
with

snapshot_dates as (

    select distinct snapshot_date from {{ ref('int_snapshot_dates') }}
    where measures_orders

),

orders as (

    select * from {{ ref('int_orders_sequenced') }}

),

final as (

    select
        snapshot_dates.snapshot_date,
        orders.customer_id,
        cast(count(*) as {{ dbt.type_bigint() }}) as frequency,
        {{ exact_sum('orders.net_revenue', 4) }} as monetary,
        {{ exact_sum('orders.gross_amount', 4) }} as gross_spend,
        {{ exact_sum('orders.discount_amount', 4) }} as discount_spend,
        min(orders.ordered_date) as first_order_date,
        max(orders.ordered_date) as last_order_date,
        {{ count_if("orders.ordered_date > " ~ dbt.dateadd('day', -90, 'snapshot_dates.snapshot_date')) }}
            as orders_90d,
        {{ exact_sum("case when orders.ordered_date > " ~ dbt.dateadd('day', -90, 'snapshot_dates.snapshot_date')
                     ~ " then orders.net_revenue else 0 end", 4) }} as net_revenue_90d
    from snapshot_dates
    inner join orders
        on snapshot_dates.snapshot_date >= orders.ordered_date
    group by snapshot_dates.snapshot_date, orders.customer_id

)

select * from final
