-- parse_timestamp_utc (macros/screening/parsing.sql): the timestamps of the input contract (README, "The input
-- contract"). ISO 8601 with Z or an offset is converted to UTC, without an offset it is UTC, a date alone is
-- midnight UTC; other shapes, impossible dates and infinite values are null (unparseable). Typed Parquet columns
-- (kinds 'timestamptz' and 'timestamp') are converted or kept. Returns the cases whose result differs.
{#- a timestamp with time zone: DuckDB's timestamptz; Spark's timestamp is one (an instant) -#}
{%- set timestamptz = 'timestamptz' if target.type == 'duckdb' else 'timestamp' %}
{{ config(tags=['macro_tests']) }}

with

text_cases as (

    select cases.*
    from (
        values
        ('z', '2025-03-01T10:00:00Z', cast('2025-03-01 10:00:00' as timestamp)),
        ('plus_two_hours', '2025-03-01T10:00:00+02:00', cast('2025-03-01 08:00:00' as timestamp)),
        ('minus_offset_crosses_midnight', '2025-03-01T23:30:00-02:00', cast('2025-03-02 01:30:00' as timestamp)),
        ('offset_hours_only', '2025-03-01T10:00:00-07', cast('2025-03-01 17:00:00' as timestamp)),
        ('offset_without_colon', '2025-03-01T10:00:00+0530', cast('2025-03-01 04:30:00' as timestamp)),
        ('no_offset_is_utc', '2025-03-01T10:00:00', cast('2025-03-01 10:00:00' as timestamp)),
        ('space_separator_fraction', '2025-03-01 10:00:00.5+02:00', cast('2025-03-01 08:00:00.5' as timestamp)),
        ('microseconds', '2025-03-01T10:00:00.123456Z', cast('2025-03-01 10:00:00.123456' as timestamp)),
        ('minutes_only', '2025-03-01T10:00Z', cast('2025-03-01 10:00:00' as timestamp)),
        ('date_only_is_midnight_utc', '2025-03-01', cast('2025-03-01 00:00:00' as timestamp)),
        ('surrounding_spaces_trimmed', '  2025-03-01T10:00:00Z  ', cast('2025-03-01 10:00:00' as timestamp)),
        ('leap_day', '2024-02-29T12:00:00Z', cast('2024-02-29 12:00:00' as timestamp)),
        -- rejected: null means "unparseable" to the screen models
        ('epoch', 'epoch', null),
        ('infinity', 'infinity', null),
        ('minus_infinity', '-infinity', null),
        ('month_13', '2025-13-01', null),
        ('february_30', '2025-02-30', null),
        ('hour_25', '2025-03-01T25:00:00', null),
        ('basic_format', '20250301', null),
        ('day_first', '01/03/2025', null),
        ('zone_name', '2025-03-01T10:00:00 UTC', null),
        ('offset_with_seconds', '2025-03-01T10:00:00+02:00:00', null),
        ('empty', '', null),
        ('spaces', '   ', null),
        ('null', null, null)
    ) as cases (case_name, raw_value, expected)

),

timestamptz_cases as (

    select cases.*
    from (
        values
        ('tz_converted', cast('2025-03-01 10:00:00+02' as {{ timestamptz }}), cast('2025-03-01 08:00:00' as timestamp)),
        ('tz_infinite', cast('infinity' as {{ timestamptz }}), null),
        ('tz_null', null, null)
    ) as cases (case_name, raw_value, expected)

),

timestamp_cases as (

    select cases.*
    from (
        values
        ('ts_kept', cast('2025-03-01 10:00:00' as timestamp), cast('2025-03-01 10:00:00' as timestamp)),
        ('ts_infinite', cast('-infinity' as timestamp), null),
        ('ts_null', null, null)
    ) as cases (case_name, raw_value, expected)

),

date_cases as (

    -- a Parquet DATE column is of kind 'timestamp' (raw_column_kinds)
    select cases.*
    from (
        values
        ('date_is_midnight', cast('2025-03-01' as date), cast('2025-03-01 00:00:00' as timestamp))
    ) as cases (case_name, raw_value, expected)

),

results as (

    select
        case_name,
        raw_value,
        expected,
        {{ parse_timestamp_utc('raw_value') }} as actual
    from text_cases
    union all
    select
        case_name,
        cast(raw_value as {{ dbt.type_string() }}) as raw_value,
        expected,
        {{ parse_timestamp_utc('raw_value', 'timestamptz') }} as actual
    from timestamptz_cases
    union all
    select
        case_name,
        cast(raw_value as {{ dbt.type_string() }}) as raw_value,
        expected,
        {{ parse_timestamp_utc('raw_value', 'timestamp') }} as actual
    from timestamp_cases
    union all
    select
        case_name,
        cast(raw_value as {{ dbt.type_string() }}) as raw_value,
        expected,
        {{ parse_timestamp_utc('raw_value', 'timestamp') }} as actual
    from date_cases

)

select *
from results
where actual is distinct from expected
