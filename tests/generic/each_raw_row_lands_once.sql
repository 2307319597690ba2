{#
    The staging invariant: every raw row lands in exactly one of the staging
    model or the quarantine model. Applied to a raw source.

    Raw rows are numbered 1..N. The test compares counts instead of joining
    every row, so it stays cheap at a hundred million rows: staged plus
    quarantined rows make N; the quarantined row numbers are distinct and
    within 1..N, and so are the staged ones (their distinctness is counted when
    check_staged_distinct is set; the staging views of the big files read each
    row of the file at most once by construction). A failure returns one row
    with the counts; quarantine_raw__* and stg_raw__* show the rows. An
    optional file that is absent has no rows.
#}
{% test each_raw_row_lands_once(model, staged, quarantined, check_staged_distinct=true) %}

with

raw_rows as (

    {% if model.identifier is defined and not raw_file_is_present(model.identifier) -%}
    -- an optional file that is not there: no rows
    select 0 as raw_rows
    {%- else -%}
    select count(*) as raw_rows
    from {{ model }}
    {%- endif %}

),

staged as (

    select
        count(*) as staged_rows,
        {% if check_staged_distinct -%}
        count(distinct source_row_number) as distinct_staged_rows,
        {%- else -%}
        count(*) as distinct_staged_rows,
        {%- endif %}
        coalesce(min(source_row_number), 1) as first_staged_row,
        coalesce(max(source_row_number), 0) as last_staged_row
    from {{ staged }}

),

quarantined as (

    select
        count(*) as quarantined_rows,
        count(distinct source_row_number) as distinct_quarantined_rows,
        coalesce(min(source_row_number), 1) as first_quarantined_row,
        coalesce(max(source_row_number), 0) as last_quarantined_row
    from {{ quarantined }}

),

validation_errors as (

    select
        raw_rows.raw_rows,
        staged.staged_rows,
        quarantined.quarantined_rows,
        staged.distinct_staged_rows,
        quarantined.distinct_quarantined_rows
    from raw_rows
    cross join staged
    cross join quarantined
    where staged.staged_rows + quarantined.quarantined_rows <> raw_rows.raw_rows
        or staged.distinct_staged_rows <> staged.staged_rows
        or quarantined.distinct_quarantined_rows <> quarantined.quarantined_rows
        or staged.first_staged_row < 1 or staged.last_staged_row > raw_rows.raw_rows
        or quarantined.first_quarantined_row < 1 or quarantined.last_quarantined_row > raw_rows.raw_rows

)

select * from validation_errors

{% endtest %}
