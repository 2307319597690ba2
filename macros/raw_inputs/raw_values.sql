{#
    The typed values of a raw row of the big, incrementally screened files,
    written once: the screen models judge rows by them, and the staging views
    read the accepted rows with the same expressions.
#}

{% macro order_values(kinds) %}
    {{ clean_text('order_id', kinds.get('order_id', 'text')) }} as order_id,
    {{ clean_text('customer_id', kinds.get('customer_id', 'text')) }} as customer_id,
    {{ parse_timestamp_utc('ordered_at', kinds.get('ordered_at', 'text')) }} as ordered_at,
    {{ parse_number('gross_amount', kinds.get('gross_amount', 'text')) }} as gross_amount,
    {{ parse_number('discount_amount', kinds.get('discount_amount', 'text')) }} as discount_amount,
    {{ parse_number('refund_amount', kinds.get('refund_amount', 'text')) }} as refund_amount,
    {{ parse_integer('quantity', kinds.get('quantity', 'text')) }} as quantity
{% endmacro %}


{% macro engagement_event_values(kinds) %}
    {{ clean_text('event_id', kinds.get('event_id', 'text')) }} as event_id,
    {{ clean_text('customer_id', kinds.get('customer_id', 'text')) }} as customer_id,
    {{ clean_text('campaign_id', kinds.get('campaign_id', 'text')) }} as campaign_id,
    {{ parse_timestamp_utc('occurred_at', kinds.get('occurred_at', 'text')) }} as occurred_at,
    {{ normalized_code('channel') }} as channel,
    {{ normalized_code('event_type') }} as event_type
{% endmacro %}
