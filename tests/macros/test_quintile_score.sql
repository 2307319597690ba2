-- quintile_score (macros/customers/customer_metrics.sql): the 1-5 RFM score is ceil(5 k / n), k being the rows
-- scoring no better than this one, ties included, n all rows. Ten distinct values give two of each score; ties
-- share a score (the highest of their range, so a value shared by everyone scores 5); with
-- higher_is_better=false (recency) the smallest value scores best. Each set of rows is its own window.
-- Returns the rows whose score differs.
{{ config(tags=['macro_tests']) }}

with

ten_values as (

    -- 1 to 10: scores 1, 1, 2, 2, 3, 3, 4, 4, 5, 5
    select
        generated_number as value,
        cast(ceil(generated_number / 2.0) as {{ dbt.type_int() }}) as expected
    from ({{ dbt.generate_series(10) }}) as series

),

ties as (

    select cases.*
    from (
        values (10, 1), (20, 3), (20, 3), (30, 4), (40, 5)
    ) as cases (value, expected)

),

recency as (

    -- days since the last order: fewer is better
    select cases.*
    from (
        values (5, 5), (10, 4), (10, 4), (200, 2)
    ) as cases (value, expected)

),

all_equal as (

    select cases.*
    from (
        values (7, 5), (7, 5), (7, 5)
    ) as cases (value, expected)

),

results as (

    select
        'ten_values' as case_name,
        value,
        expected,
        {{ quintile_score('value') }} as actual
    from ten_values
    union all
    select
        'ties' as case_name,
        value,
        expected,
        {{ quintile_score('value') }} as actual
    from ties
    union all
    select
        'recency' as case_name,
        value,
        expected,
        {{ quintile_score('value', higher_is_better=false) }} as actual
    from recency
    union all
    select
        'all_equal' as case_name,
        value,
        expected,
        {{ quintile_score('value') }} as actual
    from all_equal

)

select *
from results
where actual is distinct from expected
