-- Raw orders rows that were rejected, as given (text), with the reason.
with

screened as (

    select * from {{ ref('screen_raw__orders') }}

),

rejected as (

    select
        source_row_number,
        source_line_number,
        rejection_reason,
        raw_order_id as order_id,
        raw_customer_id as customer_id,
        raw_ordered_at as ordered_at,
        raw_gross_amount as gross_amount,
        raw_discount_amount as discount_amount,
        raw_refund_amount as refund_amount,
        raw_quantity as quantity
    from screened
    where rejection_reason is not null

)

select * from rejected
