-- exact_sum (macros/cross_database/exact_sum.sql): each term is rounded to `scale` decimals and summed as whole
-- units, so the result does not depend on the order the engine adds the rows in. A small term next to large ones
-- is not lost (a double sum of 1e6 + 0.0001 - 1e6 gives 9.99999e-05), cents add up to whole amounts, terms below
-- the scale round to 0 one by one, nulls are skipped and a group of nulls sums to null. Compared with =: an
-- exact sum must be exactly the expected double. Returns the groups whose result differs.
{{ config(tags=['macro_tests']) }}

with

series as (

    {{ dbt.generate_series(1000) }}

),

listed_terms as (

    -- case, scale, term
    select terms.*
    from (
        values
        ('cancelling', 12, cast(0.3 as {{ type_double() }})),
        ('cancelling', 12, -0.1),
        ('cancelling', 12, -0.2),
        ('nulls_skipped', 12, 1.5),
        ('nulls_skipped', 12, null),
        ('all_null', 12, null),
        ('small_next_to_large', 4, 1e6),
        ('small_next_to_large', 4, 0.0001),
        ('small_next_to_large', 4, -1e6),
        ('money', 4, 19.99),
        ('money', 4, 19.99),
        ('money', 4, 19.99),
        ('below_scale_rounds_per_term', 4, 0.00004),
        ('below_scale_rounds_per_term', 4, 0.00004),
        ('below_scale_rounds_per_term', 4, 0.00004)
    ) as terms (case_name, scale, term)

),

terms as (

    select * from listed_terms
    union all
    select
        'ten_tenths' as case_name,
        12 as scale,
        cast(0.1 as {{ type_double() }}) as term
    from series
    where generated_number <= 10
    union all
    select
        'harmonic_1000' as case_name,
        12 as scale,
        1 / cast(generated_number as {{ type_double() }}) as term
    from series
    union all
    select
        'thousand_cents' as case_name,
        4 as scale,
        cast(0.01 as {{ type_double() }}) as term
    from series

),

expected as (

    select sums.*
    from (
        values
        ('ten_tenths', cast(1.0 as {{ type_double() }})),
        -- each 1/n rounded to 12 decimals, then summed (the true sum is 7.48547086055034...)
        ('harmonic_1000', 7.485470860539),
        ('cancelling', 0.0),
        ('nulls_skipped', 1.5),
        ('all_null', null),
        ('small_next_to_large', 0.0001),
        ('thousand_cents', 10.0),
        ('money', 59.97),
        ('below_scale_rounds_per_term', 0.0)
    ) as sums (case_name, expected)

),

sums as (

    -- the scale is an argument of the macro, so each scale has its own aggregate
    select
        case_name,
        {{ exact_sum('term') }} as actual
    from terms
    where scale = 12
    group by case_name
    union all
    select
        case_name,
        {{ exact_sum('term', 4) }} as actual
    from terms
    where scale = 4
    group by case_name

),

results as (

    select
        coalesce(expected.case_name, sums.case_name) as case_name,
        expected.expected,
        sums.actual
    from expected
    full outer join sums
        on expected.case_name = sums.case_name

)

select *
from results
where actual is distinct from expected
