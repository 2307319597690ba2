-- One row per accepted order with the customer's order history. A view over
-- the incrementally maintained int_orders_sequenced; the as-of flag is added
-- here so it always follows var('as_of_date').
{{ config(materialized='view') }}

with

orders as (

    select * from {{ ref('int_orders_sequenced') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

final as (

    select
        -- ids
        orders.order_id,
        orders.customer_id,

        -- time
        orders.ordered_at,
        orders.ordered_date,
        orders.order_month,

        -- amounts
        orders.gross_amount,
        orders.discount_amount,
        orders.refund_amount,
        orders.net_revenue,
        orders.quantity,

        -- order history
        orders.customer_order_number,
        orders.days_since_previous_order,

        -- flags
        orders.is_first_order,
        orders.is_discounted,
        orders.is_refunded,
        orders.ordered_date > reporting_dates.as_of_date as is_after_as_of_date

    from orders
    cross join reporting_dates

)

select * from final
