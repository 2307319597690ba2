{% macro decay_factor(event_date, as_of_date) %}
    {#- The one definition of the engagement decay: 0.5 ^ (age_days / var('engagement_half_life_days')), age_days
        being whole days from event_date to as_of_date. Every decayed score (the monthly rollup carried to its month
        end, the snapshot scores, decayed_weight) multiplies by it. -#}
    {{- "power(0.5, cast(" ~ dbt.datediff(event_date, as_of_date, 'day') ~ " as " ~ type_double() ~ ") / "
        ~ var('engagement_half_life_days') ~ ")" -}}
{% endmacro %}


{% macro decayed_weight(event_count, weight, event_date, as_of_date) %}
    {#- weight x 0.5 ^ (age_days / half-life) per event; age in whole days from the event date to the as-of date. -#}
    {{ event_count }} * {{ weight }} * {{ decay_factor(event_date, as_of_date) }}
{% endmacro %}
