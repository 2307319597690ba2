-- Accepted orders with each customer's order history: the stored order fact
-- (fct_orders is a view over it).
--
-- Incremental: a run recomputes the whole order history of every customer with
-- an order row screened since the last run (appended, or whose screening
-- changed), and replaces it. A marker row per such customer makes a customer
-- who lost all orders be replaced too; the post-hook removes the markers.
{%- set previous = none %}
{%- if reads_warehouse() and is_incremental() %}
    {%- set previous = run_query("select max(rows_through), max(screened_through) from " ~ this).rows[0] %}
{%- endif %}
{%- set kinds = raw_column_kinds('orders') %}
-- depends_on: {{ ref('base_raw__orders') }}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='customer_id',
        on_schema_change='fail',
        post_hook="{{ delete_stale_rows('order_id is null') }}"
    )
}}

with

orders as (

    select * from {{ ref('stg_raw__orders') }}

),

watermarks as (

    {{ screening_watermarks('orders') }}

),

{% if previous is not none and previous[0] is not none -%}
touched_customers as (

    select distinct {{ clean_text('customer_id', kinds.get('customer_id', 'text')) }} as customer_id
    from {{ ref('base_raw__orders') }}
    where source_row_number > {{ previous[0] }}
        and {{ screened_rows_through('orders') }}
    union
    select distinct customer_id
    from {{ ref('screen_raw__orders') }}
    where screened_at > {{ dbt.cast("'" ~ previous[1] ~ "'", api.Column.translate_type('timestamp')) }}

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
        cast(row_number() over (
            partition by orders_to_sequence.customer_id
            order by orders_to_sequence.ordered_at, orders_to_sequence.order_id
        ) as {{ dbt.type_bigint() }}) as customer_order_number,
        lag(orders_to_sequence.ordered_date) over (
            partition by orders_to_sequence.customer_id
            order by orders_to_sequence.ordered_at, orders_to_sequence.order_id
        ) as previous_order_date
    from orders_to_sequence

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
        {{ days_between('sequenced.previous_order_date', 'sequenced.ordered_date') }} as days_since_previous_order,

        -- flags
        sequenced.customer_order_number = 1 as is_first_order,
        sequenced.discount_amount > 0 as is_discounted,
        sequenced.refund_amount > 0 as is_refunded,

        -- lineage
        sequenced.source_row_number,
        watermarks.rows_through,
        watermarks.screened_through

    from sequenced
    cross join watermarks

    {% if previous is not none and previous[0] is not none -%}
    union all

    select
        null, touched_customers.customer_id, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, watermarks.rows_through, watermarks.screened_through
    from touched_customers
    cross join watermarks
    {%- endif %}

)

select * from final
