-- The raw orders that are rejected, with the reason (the first that applies
-- wins; duplicates are judged among otherwise valid rows, and the first in
-- file order is kept), and the rows that were rejected before and are now
-- accepted (kept to record the change). Accepted rows are not stored:
-- stg_raw__orders reads them from the file.
-- Incremental: a run screens the rows appended since the last run and the rows
-- whose outcome may change (see rows_to_screen).
{%- set raw_columns = ['order_id', 'customer_id', 'ordered_at', 'gross_amount',
                       'discount_amount', 'refund_amount', 'quantity'] %}
{%- set kinds = raw_column_kinds('orders') %}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='source_row_number',
        on_schema_change='fail'
    )
}}
{%- do assert_appended_only('orders') %}
with

orders as (

    select * from {{ ref('base_raw__orders') }}
    {{ rows_to_screen('orders', 'order_id', 'ordered_at') }}

),

customers as (

    select customer_id from {{ ref('stg_raw__customers') }}

),

export_date as (

    select * from {{ ref('screen_raw__export_date') }}

),

parsed as {{ inline_cte() }} (

    select
        source_row_number,
        source_line_number,
        file_problem,
        {{ key_hash(key_value('order_id', kinds.get('order_id', 'text'))) }} as key_hash,
        {{ order_values(kinds) }},

        -- the row as given (a Jinja-generated list: sqlfluff cannot place its indents) -- noqa: disable=LT02
        {%- for column in raw_columns %}
        {{ column }} as raw_{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from orders

),

repeated_keys as (

    -- only rows whose key is given more than once need the duplicate check
    {{ repeated_key_hashes('parsed') }}

),

checked as (

    select
        parsed.*,
        case
            when parsed.file_problem is not null then parsed.file_problem
            when parsed.order_id is null then 'null_order_id'
            when parsed.customer_id is null then 'null_customer_id'
            when {{ is_blank('parsed.raw_ordered_at', kinds.get('ordered_at', 'text')) }} then 'null_ordered_at'
            when parsed.ordered_at is null then 'unparseable_ordered_at'
            when {{ is_blank('parsed.raw_gross_amount', kinds.get('gross_amount', 'text')) }} then 'null_gross_amount'
            when parsed.gross_amount is null then 'unparseable_gross_amount'
            when {{ is_unparseable('parsed.raw_discount_amount', 'parsed.discount_amount',
                                   kinds.get('discount_amount', 'text')) }}
                then 'unparseable_discount_amount'
            when {{ is_unparseable('parsed.raw_refund_amount', 'parsed.refund_amount',
                                   kinds.get('refund_amount', 'text')) }}
                then 'unparseable_refund_amount'
            when {{ is_unparseable('parsed.raw_quantity', 'parsed.quantity', kinds.get('quantity', 'text')) }}
                then 'unparseable_quantity'
            when parsed.gross_amount < 0 then 'negative_gross_amount'
            when parsed.discount_amount < 0 then 'negative_discount_amount'
            when parsed.refund_amount < 0 then 'negative_refund_amount'
            when parsed.quantity < 0 then 'negative_quantity'
            when {{ is_after_export('parsed.ordered_at') }} then 'future_ordered_at'
            when customers.customer_id is null then 'orphan_customer_id'
        end as row_rejection_reason,
        {{ has_repeated_key() }} as has_repeated_key
    from parsed
    cross join export_date
    left join customers
        on parsed.customer_id = customers.customer_id

),

candidates as (

    {{ rows_worth_storing('checked') }}

),

screened as (

    select
        *,
        {{ duplicate_rejection_reason('order_id', 'duplicate_order_id') }} as rejection_reason
    from candidates

),

outcomes as (

    select
        source_row_number,
        rejection_reason,
        key_hash,
        order_id,
        customer_id,
        ordered_at,
        gross_amount,
        discount_amount,
        refund_amount,
        quantity,
        {{ raw_values_of_rejected(raw_columns) }}
    from screened

),

final as (

    select
        outcomes.*,
        {{ screened_at('outcomes') }} as screened_at
    from outcomes
    {{- previous_screening_join('outcomes') }}
    where outcomes.rejection_reason is not null
    {%- if is_incremental() %}
        or previous_screening.source_row_number is not null
    {%- endif %}

)

select * from final
