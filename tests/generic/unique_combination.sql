{#- No two rows share the same values of `columns`. Returns each repeated combination. -#}
{% test unique_combination(model, columns) %}

with

validation_errors as (

    select
        {{ columns | join(', ') }},
        count(*) as row_count
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1

)

select * from validation_errors

{% endtest %}
