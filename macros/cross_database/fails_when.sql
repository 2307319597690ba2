{% macro fails_when(condition, message) %}
    {#-
        A where-clause term that is true, or stops the query with message when
        condition holds: for the few states a build cannot go on from, with
        words a person can act on instead of a failing test's name.
    -#}
    {{ return(adapter.dispatch('fails_when', 'engagement_radar')(condition, message)) }}
{% endmacro %}

{% macro default__fails_when(condition, message) %}
    {{ return("case when " ~ condition ~ " then raise_error(" ~ sql_string(message) ~ ") is null else true end") }}
{% endmacro %}

{% macro duckdb__fails_when(condition, message) %}
    {{ return("case when " ~ condition ~ " then error(" ~ sql_string(message) ~ ") else true end") }}
{% endmacro %}
