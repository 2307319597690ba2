-- parse_number, parse_integer and is_unparseable (macros/screening/parsing.sql): amounts are plain decimal numbers
-- (12.50, -3, .5, 1e3); 12,50, 0x10, 1_000 and non-finite values are unparseable. A whole number (quantity) is 3,
-- +3, 3.0 or 3.; 2.5 and 1e3 are unparseable, never rounded. Surrounding spaces are trimmed; a blank value is
-- absent (null, and not unparseable). Typed Parquet numbers (kind 'number') are used as stored.
-- Returns the cases whose result differs.
{{ config(tags=['macro_tests']) }}

with

text_cases as (

    -- case, raw value, expected parse_number, expected parse_integer, expected is_unparseable of the integer
    select cases.*
    from (
        values
        ('decimal', '12.50', cast(12.5 as {{ type_double() }}), cast(null as {{ dbt.type_bigint() }}), true),
        ('negative_whole', '-3', -3.0, -3, false),
        ('plus_sign', '+3', 3.0, 3, false),
        ('leading_point', '.5', 0.5, null, true),
        ('trailing_point', '5.', 5.0, 5, false),
        ('whole_with_zero_decimals', '3.0', 3.0, 3, false),
        ('leading_zeros', '00012', 12.0, 12, false),
        ('exponent', '1e3', 1000.0, null, true),
        ('negative_exponent', '1.5E-2', 0.015, null, true),
        ('spaces_trimmed', ' 12 ', 12.0, 12, false),
        ('half_is_not_rounded', '2.5', 2.5, null, true),
        ('largest_bigint', '9223372036854775807', 9223372036854775807.0, 9223372036854775807, false),
        ('beyond_bigint', '9223372036854775808', 9223372036854775808.0, null, true),
        -- unparseable as both
        ('decimal_comma', '12,50', null, null, true),
        ('hexadecimal', '0x10', null, null, true),
        ('digit_separator', '1_000', null, null, true),
        ('inner_space', '1 000', null, null, true),
        ('double_sign', '--1', null, null, true),
        ('nan', 'nan', null, null, true),
        ('infinity', 'inf', null, null, true),
        ('overflow', '1e400', null, null, true),
        ('currency_sign', '$12', null, null, true),
        -- absent, not unparseable
        ('empty', '', null, null, false),
        ('spaces', '   ', null, null, false),
        ('null', null, null, null, false)
    ) as cases (case_name, raw_value, expected_number, expected_integer, expected_unparseable_integer)

),

number_cases as (

    select cases.*
    from (
        values
        ('typed_double', cast(12.5 as {{ type_double() }}), 12.5, cast(null as {{ dbt.type_bigint() }}), true),
        ('typed_whole_double', cast(3 as {{ type_double() }}), 3.0, 3, false),
        ('typed_half', cast(2.5 as {{ type_double() }}), 2.5, null, true),
        ('typed_nan', cast('nan' as {{ type_double() }}), null, null, true),
        ('typed_null', cast(null as {{ type_double() }}), null, null, false)
    ) as cases (case_name, raw_value, expected_number, expected_integer, expected_unparseable_integer)

),

results as (

    select
        case_name,
        raw_value,
        expected_number,
        expected_integer,
        expected_unparseable_integer,
        {{ parse_number('raw_value') }} as actual_number,
        {{ parse_integer('raw_value') }} as actual_integer,
        {{ is_unparseable('raw_value', parse_integer('raw_value')) }} as actual_unparseable_integer
    from text_cases
    union all
    select
        case_name,
        cast(raw_value as {{ dbt.type_string() }}) as raw_value,
        expected_number,
        expected_integer,
        expected_unparseable_integer,
        {{ parse_number('raw_value', 'number') }} as actual_number,
        {{ parse_integer('raw_value', 'number') }} as actual_integer,
        {{ is_unparseable('raw_value', parse_integer('raw_value', 'number'), 'number') }}
            as actual_unparseable_integer
    from number_cases

)

select *
from results
where actual_number is distinct from expected_number
    or actual_integer is distinct from expected_integer
    or actual_unparseable_integer is distinct from expected_unparseable_integer
