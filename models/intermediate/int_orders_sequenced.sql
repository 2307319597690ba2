-- Accepted orders with each customer's order history: the stored part of
-- fct_orders.
--
-- Incremental: a run recomputes the whole order history of every customer with
-- an order row screened since the last run, and replaces it. A marker row per
-- such customer makes a customer who lost all orders be replaced too; the
-- post-hook removes the markers.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='customer_id',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where order_id is null"
    )
}}

with

orders as (

    select * from {{ ref('stg_raw__orders') }}

),

screened_orders as (

    select * from {{ ref('screen_raw__orders') }}

),

{% if is_incremental() -%}
touched_customers as (

    select distinct customer_id
    from screened_orders
    where screened_at > (select max(screened_through) from {{ this }})
        and customer_id is not null

),

orders_to_sequence as (

    select orders.*
    from orders
    inner join touched_customers
        on orders.customer_id = touched_customers.customer_id

),
{%- else -%}
orders_to_sequence as (

    select * from orders

),
{%- endif %}

sequenced as (

    select
        orders_to_sequence.*,
        row_number() over (
            partition by customer_id order by ordered_at, order_id
        ) as customer_order_number,
        lag(ordered_date) over (
            partition by customer_id order by ordered_at, order_id
        ) as previous_order_date,
        max(screened_at) over (partition by customer_id) as customer_screened_through
    from orders_to_sequence

),

final as (

    select
        -- ids
        order_id,
        customer_id,

        -- time
        ordered_at,
        ordered_date,
        cast({{ dbt.date_trunc('month', 'ordered_date') }} as date) as order_month,

        -- amounts
        gross_amount,
        discount_amount,
        refund_amount,
        net_revenue,
        quantity,

        -- order history
        customer_order_number,
        {{ dbt.datediff('previous_order_date', 'ordered_date', 'day') }} as days_since_previous_order,

        -- flags
        customer_order_number = 1 as is_first_order,
        discount_amount > 0 as is_discounted,
        refund_amount > 0 as is_refunded,

        -- lineage
        customer_screened_through as screened_through

    from sequenced

    {% if is_incremental() -%}
    union all

    select
        null, customer_id, null, null, null, null, null, null, null, null, null, null, null, null, null,
        (select max(screened_at) from screened_orders)
    from touched_customers
    {%- endif %}

)

select * from final
