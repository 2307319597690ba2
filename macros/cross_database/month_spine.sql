{% macro month_spine(start_month_sql, end_month_sql) %}
    {#- One row per month start (column month_start) from start to end, both inclusive; the arguments are SQL expressions. -#}
    {{ return(adapter.dispatch('month_spine', 'engagement_radar')(start_month_sql, end_month_sql)) }}
{% endmacro %}

{% macro default__month_spine(start_month_sql, end_month_sql) %}
    select
        cast({{ dbt.dateadd('month', 'month_offsets.generated_number - 1', start_month_sql) }} as date) as month_start
    from ({{ dbt.generate_series(240) }}) as month_offsets
    where {{ dbt.dateadd('month', 'month_offsets.generated_number - 1', start_month_sql) }} <= {{ end_month_sql }}
{% endmacro %}

{% macro duckdb__month_spine(start_month_sql, end_month_sql) %}
    select cast(month_start as date) as month_start
    from range(
        cast({{ start_month_sql }} as timestamp),
        cast({{ end_month_sql }} as timestamp) + interval 1 month,
        interval 1 month
    ) as months(month_start)
{% endmacro %}
