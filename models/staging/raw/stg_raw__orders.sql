with

screened as (

    select * from {{ ref('screen_raw__orders') }}

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
        discount_amount,
        refund_amount,
        net_revenue,
        quantity,

        -- lineage
        source_row_number,
        screened_at

    from screened
    where rejection_reason is null

)

select * from accepted
