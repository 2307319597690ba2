-- decayed_weight (macros/engagement/decayed_weight.sql): an event's weight decays by half every
-- var('engagement_half_life_days') days of age, age being whole days from the event date to the as-of date. Age 0
-- weighs the full weight, exactly one half-life half, two half-lives a quarter; the count multiplies; weight 0 (an
-- unknown channel) stays 0. Ages are built from the var, so the test holds for any half-life.
-- Returns the cases whose result differs by more than 1e-12.
{%- set half_life = var('engagement_half_life_days') %}
{{ config(tags=['macro_tests']) }}

with

cases as (

    select cases.*
    from (
        values
        ('age_zero', 1, cast(3.0 as {{ type_double() }}), 0, cast(3.0 as {{ type_double() }})),
        ('one_half_life', 1, 2.0, {{ half_life }}, 1.0),
        ('two_half_lives', 1, 2.0, {{ 2 * half_life }}, 0.5),
        ('count_multiplies', 4, 1.5, {{ half_life }}, 3.0),
        ('zero_weight', 7, 0.0, 3, 0.0),
        -- one day: 0.5^(1/h), written as exp(-ln 2 / h)
        ('one_day', 1, 1.0, 1, exp(-ln(2.0) / {{ half_life }})),
        -- the formula does not stop at the as-of date: an event after it weighs more (callers leave such events out)
        ('one_half_life_after', 1, 1.0, {{ -half_life }}, 2.0)
    ) as cases (case_name, event_count, weight, age_days, expected)

),

dated as (

    select
        cases.*,
        cast('2025-06-30' as date) as as_of_date,
        cast({{ dbt.dateadd('day', '-cases.age_days', "cast('2025-06-30' as date)") }} as date) as event_date
    from cases

),

results as (

    select
        dated.*,
        {{ decayed_weight('event_count', 'weight', 'event_date', 'as_of_date') }} as actual
    from dated

)

select *
from results
where actual is null
    or abs(actual - expected) > 1e-12
