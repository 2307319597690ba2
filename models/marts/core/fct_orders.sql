with

orders as (

    select * from {{ ref('stg_raw__orders') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

sequenced as (

    select
        orders.*,
        row_number() over (
            partition by orders.customer_id order by orders.ordered_at, orders.order_id
        ) as customer_order_number,
        lag(orders.ordered_date) over (
            partition by orders.customer_id order by orders.ordered_at, orders.order_id
        ) as previous_order_date
    from orders

),

final as (

    select
        -- ids
        sequenced.order_id,
        sequenced.customer_id,

        -- time
        sequenced.ordered_at,
        sequenced.ordered_date,
        cast({{ dbt.date_trunc('month', 'sequenced.ordered_date') }} as date) as order_month,

        -- amounts
        sequenced.gross_amount,
        sequenced.discount_amount,
        sequenced.refund_amount,
        sequenced.net_revenue,
        sequenced.quantity,

        -- order history
        sequenced.customer_order_number,
        {{ dbt.datediff('sequenced.previous_order_date', 'sequenced.ordered_date', 'day') }}
            as days_since_previous_order,

        -- flags
        sequenced.customer_order_number = 1 as is_first_order,
        sequenced.discount_amount > 0 as is_discounted,
        sequenced.refund_amount > 0 as is_refunded,
        sequenced.ordered_date > reporting_dates.as_of_date as is_after_as_of_date

    from sequenced
    cross join reporting_dates

)

select * from final
