{% macro equal_or_both_null(left, right) %}
    ({{ left }} = {{ right }} or ({{ left }} is null and {{ right }} is null))
{% endmacro %}
