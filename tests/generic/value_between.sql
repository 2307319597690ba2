{#- Every non-null value lies in [min_value, max_value]. Returns the rows outside. -#}
{% test value_between(model, column_name, min_value, max_value) %}

with

validation_errors as (

    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }}

)

select * from validation_errors

{% endtest %}
