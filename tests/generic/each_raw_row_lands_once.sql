{#
    The staging invariant: every raw row lands in exactly one of the staging
    model or the quarantine model. Applied to a raw source.

    Raw rows are numbered 1..N. The landings (staged and quarantined row
    numbers together) are exactly 1..N when there are N of them, all distinct,
    the least 1 and the greatest N - four counts instead of a join of every
    row, so the test stays cheap at a hundred million rows. A failure returns
    one row with the counts; quarantine_raw__* and stg_raw__* show the rows.
#}
{% test each_raw_row_lands_once(model, staged, quarantined) %}

with

raw_rows as (

    select count(*) as raw_rows
    from {{ model }}

),

landings as (

    select source_row_number from {{ staged }}
    union all
    select source_row_number from {{ quarantined }}

),

landed as (

    select
        count(*) as landed_rows,
        count(distinct source_row_number) as distinct_rows_landed,
        coalesce(min(source_row_number), 1) as first_row_landed,
        coalesce(max(source_row_number), 0) as last_row_landed
    from landings

),

validation_errors as (

    select
        raw_rows.raw_rows,
        landed.landed_rows,
        landed.distinct_rows_landed,
        landed.first_row_landed,
        landed.last_row_landed
    from raw_rows
    cross join landed
    where landed.landed_rows <> raw_rows.raw_rows
        or landed.distinct_rows_landed <> raw_rows.raw_rows
        or landed.first_row_landed <> 1
        or landed.last_row_landed <> raw_rows.raw_rows

)

select * from validation_errors

{% endtest %}
