-- hash_pii (macros/screening/parsing.sql): an email enters the warehouse only as the hex SHA-256 of its trimmed,
-- lower-cased text, so the same address in any case or padding gives the same hash, and the digest is the
-- standard one (computed independently with Python's hashlib). Null stays null. hash_pii does not blank an empty
-- string itself: its callers pass clean_text(...) (raw_file_select). Returns the cases whose result differs.
-- (Reserved .invalid addresses: no address of a real or a demo customer appears in the SQL dbt logs.)
{{ config(tags=['macro_tests']) }}

with

cases as (

    select cases.*
    from (
        values
        ('plain', 'alice@hashing.invalid', '69d27395615998f3ee7b3e9bde537393f0ba85a64495fc1d8bd516fe977187a6'),
        ('case_and_spaces', '  Alice@Hashing.INVALID ', '69d27395615998f3ee7b3e9bde537393f0ba85a64495fc1d8bd516fe977187a6'),
        ('upper_case', 'ALICE@HASHING.INVALID', '69d27395615998f3ee7b3e9bde537393f0ba85a64495fc1d8bd516fe977187a6'),
        ('another_address', 'bob@hashing.invalid', 'b01447cc1ea1e3db6f2fd9ad54e31c3190135d58ae47f750a591ad8698602214'),
        -- only spaces are trimmed: a trailing tab changes the hash
        (
            'trailing_tab', 'alice@hashing.invalid' || chr(9),
            '68e308d6e3bb741211c9e6fd238789dcdfd2817ee7c2efead690cec3da60b18a'
        ),
        ('empty_string', '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'),
        ('null', null, null)
    ) as cases (case_name, raw_value, expected)

),

results as (

    select
        case_name,
        raw_value,
        expected,
        {{ hash_pii('raw_value') }} as actual
    from cases

)

select *
from results
where actual is distinct from expected
