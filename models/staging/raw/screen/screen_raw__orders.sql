-- Every raw order row, parsed, with the reason it is rejected (null when
-- accepted). The first reason that applies wins; duplicates are judged among
-- otherwise valid rows, and the first in file order is kept.
-- Incremental: a run screens only the rows appended to the file since the last
-- run and the rows whose outcome may change (see rows_to_screen).
{%- set raw_columns = ['order_id', 'customer_id', 'ordered_at', 'gross_amount',
                       'discount_amount', 'refund_amount', 'quantity'] %}
{%- set kinds = raw_column_kinds('orders') %}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='source_row_number',
        on_schema_change='fail'
    )
}}
{%- do assert_appended_only('orders') %}
with

orders as {{ inline_cte() }} (

    select * from {{ ref('base_raw__orders') }}
    {{ rows_to_screen(ref('base_raw__orders'), 'order_id', 'ordered_at') }}

),

customers as (

    select customer_id from {{ ref('stg_raw__customers') }}

),

export_date as (

    select * from {{ ref('screen_raw__export_date') }}

),

parsed as (

    select
        source_row_number,
        source_line_number,
        file_problem,

        -- ids
        {{ clean_text('order_id') }} as order_id,
        {{ clean_text('customer_id') }} as customer_id,

        -- timestamps
        {{ parse_timestamp_utc('ordered_at', kinds.ordered_at) }} as ordered_at,

        -- amounts
        {{ parse_number('gross_amount', kinds.gross_amount) }} as gross_amount,
        {{ parse_number('discount_amount', kinds.discount_amount) }} as discount_amount,
        {{ parse_number('refund_amount', kinds.refund_amount) }} as refund_amount,
        {{ parse_integer('quantity', kinds.quantity) }} as quantity,

        -- the row as given
        {% for column in raw_columns -%}
        {{ column }} as raw_{{ column }}{{ ',' if not loop.last }}
        {% endfor %}
    from orders

),

repeated_keys as (

    -- only rows whose key is given more than once need the duplicate check
    {{ repeated_key_hashes('orders', 'order_id') }}

),

checked as {{ inline_cte() }} (

    select
        parsed.*,
        case
            when parsed.file_problem is not null then parsed.file_problem
            when parsed.order_id is null then 'null_order_id'
            when parsed.customer_id is null then 'null_customer_id'
            when {{ is_blank('parsed.raw_ordered_at', kinds.ordered_at) }} then 'null_ordered_at'
            when parsed.ordered_at is null then 'unparseable_ordered_at'
            when {{ is_blank('parsed.raw_gross_amount', kinds.gross_amount) }} then 'null_gross_amount'
            when parsed.gross_amount is null then 'unparseable_gross_amount'
            when {{ is_unparseable('parsed.raw_discount_amount', 'parsed.discount_amount', kinds.discount_amount) }}
                then 'unparseable_discount_amount'
            when {{ is_unparseable('parsed.raw_refund_amount', 'parsed.refund_amount', kinds.refund_amount) }}
                then 'unparseable_refund_amount'
            when {{ is_unparseable('parsed.raw_quantity', 'parsed.quantity', kinds.quantity) }} then 'unparseable_quantity'
            when parsed.gross_amount < 0 then 'negative_gross_amount'
            when parsed.discount_amount < 0 then 'negative_discount_amount'
            when parsed.refund_amount < 0 then 'negative_refund_amount'
            when parsed.quantity < 0 then 'negative_quantity'
            when {{ is_after_export('parsed.ordered_at') }} then 'future_ordered_at'
            when customers.customer_id is null then 'orphan_customer_id'
        end as row_rejection_reason,
        {{ has_repeated_key('parsed.order_id') }} as has_repeated_key
    from parsed
    cross join export_date
    left join customers
        on parsed.customer_id = customers.customer_id

),

screened as (

    {{ rejecting_duplicates('checked', 'order_id', 'duplicate_order_id') }}

),

outcomes as (

    select
        source_row_number,
        rejection_reason,
        order_id,
        customer_id,
        ordered_at,
        gross_amount,
        coalesce(discount_amount, 0) as discount_amount,
        coalesce(refund_amount, 0) as refund_amount,
        quantity,
        gross_amount - coalesce(discount_amount, 0) - coalesce(refund_amount, 0) as net_revenue,
        {{ raw_values_of_rejected(raw_columns) }}
    from screened

),

final as (

    select
        outcomes.*,
        {{ screened_at('outcomes') }} as screened_at
    from outcomes
    {{- previous_screening_join('outcomes') }}

)

select * from final
