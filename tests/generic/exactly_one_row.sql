{#- The model holds exactly one row. Returns the row count when it does not. -#}
{% test exactly_one_row(model) %}

with

counted as (

    select count(*) as row_count from {{ model }}

),

validation_errors as (

    select row_count from counted where row_count <> 1

)

select * from validation_errors

{% endtest %}
