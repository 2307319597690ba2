{% macro last_day_of_month(date_column) %}
    {{ return(adapter.dispatch('last_day_of_month', 'engagement_radar')(date_column)) }}
{% endmacro %}

{% macro default__last_day_of_month(date_column) %}
    {{ return('last_day(' ~ date_column ~ ')') }}
{% endmacro %}
