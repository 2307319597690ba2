{% macro days_between(start_date, end_date) %}
    {#- Whole days from start_date to end_date as a 64-bit integer on every engine (dbt.datediff returns a 32-bit
        integer on Spark, a 64-bit one on DuckDB). -#}
    {{ return('cast(' ~ dbt.datediff(start_date, end_date, 'day') ~ ' as ' ~ dbt.type_bigint() ~ ')') }}
{% endmacro %}
