{#
    Every combination of `columns` (or the tested column) that is not null
    appears in `lookup` under `lookup_columns`. Returns each missing combination
    with its row count. Use severity warn to report unknown codes without
    failing the build, and store_failures to keep the list in the warehouse.
#}
{% test values_in_lookup(model, lookup, columns=none, lookup_columns=none, lookup_where=none, column_name=none) %}

{%- set columns = columns or [column_name] %}
{%- set lookup_columns = lookup_columns or columns %}

with

observed as (

    select
        {% for column in columns -%}
        {{ column }},
        {% endfor -%}
        count(*) as row_count
    from {{ model }}
    where {% for column in columns %}{{ column }} is not null{{ ' and ' if not loop.last }}{% endfor %}
    group by {{ columns | join(', ') }}

),

known as (

    select distinct
        {% for column in lookup_columns -%}
        {{ column }} as {{ columns[loop.index0] }}{{ ',' if not loop.last }}
        {% endfor %}
    from {{ lookup }}
    {% if lookup_where %}where {{ lookup_where }}{% endif %}

),

validation_errors as (

    select observed.*
    from observed
    where not exists (
        select 1
        from known
        where {% for column in columns %}known.{{ column }} = observed.{{ column }}{{ ' and ' if not loop.last }}{% endfor %}
    )

)

select * from validation_errors

{% endtest %}
