{% macro inline_cte() %}
    {{ return(adapter.dispatch('inline_cte', 'engagement_radar')()) }}
{% endmacro %}

{% macro default__inline_cte() %}{% endmacro %}

{% macro duckdb__inline_cte() %}
    {#- A CTE read twice is materialized by DuckDB; for a scan of a hundred million rows, reading twice is cheaper. -#}
    not materialized
{% endmacro %}
