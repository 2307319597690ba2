-- normalized_code (macros/screening/parsing.sql): channels, event types and content types are looked up in the
-- seeds in one form - trimmed, lower case, each run of spaces, tabs and dashes as one underscore; empty is null.
-- Codes already in that form take the fast path and come back unchanged. Returns the cases whose result differs.
{{ config(tags=['macro_tests']) }}

with

cases as (

    select cases.*
    from (
        values
        ('already_normal', 'email', 'email'),
        ('already_normal_underscore', 'live_event', 'live_event'),
        ('capitalised', 'Email', 'email'),
        ('upper_case', 'LINKEDIN', 'linkedin'),
        ('surrounding_spaces', '  email ', 'email'),
        ('inner_space', 'Live Event', 'live_event'),
        ('dash', 'live-event', 'live_event'),
        ('run_of_spaces_and_dashes', ' Live -  Event ', 'live_event'),
        ('tab', 'web' || chr(9) || 'visit', 'web_visit'),
        ('digits_kept', 'Web 2', 'web_2'),
        ('empty', '', null),
        ('spaces', '   ', null),
        ('null', null, null)
        -- Not checked, as it is not consistent today: a line break inside an already lower-case code passes the
        -- DuckDB fast path unchanged ('live' || chr(10) || 'event' stays as it is), while the same code with a
        -- capital ('Live' || chr(10) || 'Event') becomes 'live_event'.
    ) as cases (case_name, raw_value, expected)

),

results as (

    select
        case_name,
        raw_value,
        expected,
        {{ normalized_code('raw_value') }} as actual
    from cases

)

select *
from results
where actual is distinct from expected
