{% macro sql_string(text) %}
    {#- A SQL string literal holding text (a path with a quote in it stays one literal). -#}
    {{ return("'" ~ (text | string | replace("'", "''")) ~ "'") }}
{% endmacro %}
