{% macro count_if(condition) %}
    {{ return('cast(sum(case when ' ~ condition ~ ' then 1 else 0 end) as ' ~ dbt.type_bigint() ~ ')') }}
{% endmacro %}
