-- Accepted orders, typed and in UTC, with net revenue: the rows of the file
-- that have been screened and not rejected. A view: the orders are read from
-- the file (only rejected rows are stored, in screen_raw__orders);
-- int_orders_sequenced keeps them, with each customer's order history.
{%- set kinds = raw_column_kinds('orders') %}
{{ config(materialized='view') }}

with

orders as (

    select * from {{ ref('base_raw__orders') }}
    where {{ screened_rows_through('orders') }}

),

rejected as (

    select source_row_number from {{ ref('screen_raw__orders') }}
    where rejection_reason is not null

),

parsed as (

    select
        source_row_number,
        {{ order_values(kinds) }}
    from orders
    where source_row_number not in (select rejected.source_row_number from rejected)

),

accepted as (

    select
        -- ids
        order_id,
        customer_id,

        -- timestamps and dates
        ordered_at,
        cast(ordered_at as date) as ordered_date,

        -- amounts
        gross_amount,
        coalesce(discount_amount, 0) as discount_amount,
        coalesce(refund_amount, 0) as refund_amount,
        gross_amount - coalesce(discount_amount, 0) - coalesce(refund_amount, 0) as net_revenue,
        quantity,

        -- lineage
        source_row_number

    from parsed

)

select * from accepted
