{#
    Customer measures shared by several marts, so that "frequency" or "at risk"
    means the same thing in customer_rfm and in kpi_summary. A customer's order
    statistics on a day are int_order_snapshots.
#}

{% macro purchase_cadence_days(frequency, first_order_date, last_order_date) %}
    {#- A repeat buyer's average days between orders; null for one order or none. -#}
    case
        when {{ frequency }} > 1
            then cast({{ dbt.datediff(first_order_date, last_order_date, 'day') }} as {{ type_double() }})
                / ({{ frequency }} - 1)
    end
{% endmacro %}


{% macro at_risk_after_days(frequency, cadence_days) %}
    {#-
        Days without an order after which a purchaser is at risk: for a repeat
        buyer var('at_risk_cadence_multiplier') times their own cadence, and at
        least var('at_risk_min_days'); for a one-time buyer
        var('at_risk_one_time_buyer_days'). Null without orders.
    -#}
    case
        when {{ frequency }} = 1 then {{ var('at_risk_one_time_buyer_days') }}
        when {{ frequency }} > 1 then greatest(
            {{ var('at_risk_min_days') }}, {{ var('at_risk_cadence_multiplier') }} * {{ cadence_days }})
    end
{% endmacro %}


{% macro is_at_risk(recency_days, frequency, cadence_days) %}
    {#- At risk: more days since the last order than at_risk_after_days. No orders: not at risk. -#}
    coalesce({{ recency_days }} > {{ at_risk_after_days(frequency, cadence_days) }}, false)
{% endmacro %}


{% macro quintile_score(column, higher_is_better=true) %}
    {#-
        A 1-5 score: ceil(5 * k / n), where k counts the rows scoring no better
        than this one (ties included) and n all rows in the window. Exact integer
        arithmetic, so ties always share a score. Apply to rows with a value.
    -#}
    cast(floor(
        cast(5 * count(*) over (
            order by {{ column }} {{ 'asc' if higher_is_better else 'desc' }}
            range between unbounded preceding and current row
        ) + count(*) over () - 1 as {{ type_double() }})
        / count(*) over ()
    ) as {{ dbt.type_int() }})
{% endmacro %}
