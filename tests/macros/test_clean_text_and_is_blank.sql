-- clean_text, is_blank and key_value (macros/screening/parsing.sql): text is trimmed and an empty value is null, so
-- '' and '   ' are absent (is_blank), not values; inner spaces are kept. Only spaces are trimmed (DuckDB's trim):
-- a tab is kept. An id a Parquet file stores as a number (kind 'typed') is only turned into text by clean_text,
-- and compared as stored by key_value. Returns the cases whose result differs.
{{ config(tags=['macro_tests']) }}

with

text_cases as (

    select cases.*
    from (
        values
        ('plain', 'C-001', 'C-001', false),
        ('surrounding_spaces', '  C-001  ', 'C-001', false),
        ('inner_spaces_kept', 'New  York', 'New  York', false),
        ('tab_kept', chr(9) || 'C-001', chr(9) || 'C-001', false),
        ('empty', '', null, true),
        ('spaces', '    ', null, true),
        ('null', null, null, true)
    ) as cases (case_name, raw_value, expected_text, expected_blank)

),

typed_cases as (

    select cases.*
    from (
        values
        ('typed_id', cast(42 as {{ dbt.type_bigint() }}), '42', false),
        ('typed_null', null, null, true)
    ) as cases (case_name, raw_value, expected_text, expected_blank)

),

results as (

    select
        case_name,
        raw_value,
        expected_text,
        expected_blank,
        {{ clean_text('raw_value') }} as actual_text,
        {{ key_value('raw_value') }} as actual_key,
        {{ is_blank('raw_value') }} as actual_blank
    from text_cases
    union all
    select
        case_name,
        cast(raw_value as {{ dbt.type_string() }}) as raw_value,
        expected_text,
        expected_blank,
        {{ clean_text('raw_value', 'typed') }} as actual_text,
        -- key_value keeps a typed id as stored; compared here as text
        cast({{ key_value('raw_value', 'typed') }} as {{ dbt.type_string() }}) as actual_key,
        {{ is_blank('raw_value', 'typed') }} as actual_blank
    from typed_cases

)

select *
from results
where actual_text is distinct from expected_text
    or actual_key is distinct from expected_text
    or actual_blank is distinct from expected_blank
