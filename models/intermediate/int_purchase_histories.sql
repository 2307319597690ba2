-- Every purchaser's purchase history as the buy-till-you-die models read it,
-- on each snapshot day that measures orders (int_snapshot_dates): purchases
-- are purchase days (several orders on one day are one purchase), counted
-- from the first; repeat purchases are the days after it. Sums are exact, so
-- the models fitted on them are the same on every run.
with

snapshot_dates as (

    select distinct snapshot_date from {{ ref('int_snapshot_dates') }}
    where measures_orders

),

purchase_days as (

    select
        customer_id,
        ordered_date as purchase_date,
        min(ordered_date) over (partition by customer_id) as first_purchase_date,
        {{ exact_sum('net_revenue', 4) }} as net_revenue
    from {{ ref('int_orders_sequenced') }}
    group by customer_id, ordered_date

),

histories as (

    select
        snapshot_dates.snapshot_date,
        purchase_days.customer_id,
        min(purchase_days.first_purchase_date) as first_purchase_date,
        max(purchase_days.purchase_date) as last_purchase_date,
        cast(count(*) - 1 as {{ dbt.type_bigint() }}) as repeat_purchases,
        {{ exact_sum("case when purchase_days.purchase_date > purchase_days.first_purchase_date
            then purchase_days.net_revenue else 0 end", 4) }} as repeat_net_revenue,
        {{ exact_sum('purchase_days.net_revenue', 4) }} as net_revenue
    from snapshot_dates
    inner join purchase_days
        on snapshot_dates.snapshot_date >= purchase_days.purchase_date
    group by snapshot_dates.snapshot_date, purchase_days.customer_id

),

final as (

    select
        snapshot_date,
        customer_id,
        first_purchase_date,
        last_purchase_date,
        repeat_purchases,
        {{ days_between('first_purchase_date', 'last_purchase_date') }} as recency_days,
        {{ days_between('first_purchase_date', 'snapshot_date') }} as age_days,
        case when repeat_purchases > 0 then repeat_net_revenue / repeat_purchases end
            as mean_repeat_purchase_value,
        net_revenue
    from histories

)

select * from final
