{% macro type_double() %}
    {#- A 64-bit float: dbt.type_float() is 32-bit on some adapters (DuckDB's FLOAT). -#}
    {{ return(adapter.dispatch('type_double', 'engagement_radar')()) }}
{% endmacro %}

{% macro default__type_double() %}
    {{ return('double') }}
{% endmacro %}
