{% macro key_hash(expression) %}
    {{ return(adapter.dispatch('key_hash', 'engagement_radar')(expression)) }}
{% endmacro %}

{% macro default__key_hash(expression) %}
    {{ dbt.hash(expression) }}
{% endmacro %}

{% macro duckdb__key_hash(expression) %}
    {#- A 64-bit hash: grouping a hundred million of them is far cheaper than grouping the text. -#}
    hash({{ expression }})
{% endmacro %}
