{% macro bitwise_xor(left, right) %}
    {{ return(adapter.dispatch('bitwise_xor', 'engagement_radar')(left, right)) }}
{% endmacro %}

{% macro default__bitwise_xor(left, right) %}
    {{ return('(' ~ left ~ ' ^ ' ~ right ~ ')') }}
{% endmacro %}

{% macro duckdb__bitwise_xor(left, right) %}
    {{ return('xor(' ~ left ~ ', ' ~ right ~ ')') }}
{% endmacro %}
