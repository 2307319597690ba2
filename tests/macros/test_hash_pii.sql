-- hash_pii (macros/screening/parsing.sql): an email enters the warehouse only as the hex SHA-256 of its trimmed,
-- lower-cased text, so the same address in any case or padding gives the same hash, and the digest is the
-- standard one (computed independently with Python's hashlib). Null stays null. hash_pii does not blank an empty
-- string itself: its callers pass clean_text(...) (raw_file_select). Returns the cases whose result differs.
{{ config(tags=['macro_tests']) }}

with

cases as (

    select cases.*
    from (
        values
        ('plain', 'alice@example.com', 'ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976'),
        ('case_and_spaces', '  Alice@Example.COM ', 'ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976'),
        ('upper_case', 'ALICE@EXAMPLE.COM', 'ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976'),
        ('another_address', 'bob@example.com', '5ff860bf1190596c7188ab851db691f0f3169c453936e9e1eba2f9a47f7a0018'),
        -- only spaces are trimmed: a trailing tab changes the hash
        (
            'trailing_tab', 'alice@example.com' || chr(9),
            'f4f4617e32c992e604cdfad026af5141251b6c65822dfd914865aa2fb3583889'
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
