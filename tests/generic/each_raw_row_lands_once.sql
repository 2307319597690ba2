{#
    The staging invariant: every raw row lands in exactly one of the staging
    model or the quarantine model. Applied to a raw source; returns one row per
    raw row that landed nowhere or more than once, and per landed row that has
    no raw row.
#}
{% test each_raw_row_lands_once(model, staged, quarantined) %}

with

raw_rows as (

    select {{ raw_row_number() }} as source_row_number
    from {{ model }}

),

landings as (

    select source_row_number, 'staged' as landed_in from {{ staged }}
    union all
    select source_row_number, 'quarantined' as landed_in from {{ quarantined }}

),

landings_per_row as (

    select
        source_row_number,
        count(*) as times_landed,
        {{ dbt.listagg('landed_in', "', '") }} as landed_in
    from landings
    group by source_row_number

),

validation_errors as (

    select
        coalesce(raw_rows.source_row_number, landings_per_row.source_row_number) as source_row_number,
        raw_rows.source_row_number is not null as is_in_raw_file,
        coalesce(landings_per_row.times_landed, 0) as times_landed,
        landings_per_row.landed_in
    from raw_rows
    full outer join landings_per_row
        on raw_rows.source_row_number = landings_per_row.source_row_number
    where raw_rows.source_row_number is null
        or coalesce(landings_per_row.times_landed, 0) <> 1

)

select * from validation_errors

{% endtest %}
