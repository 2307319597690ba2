{#
    Helpers shared by the screen models, which give every raw row either a
    clean typed form or a rejection reason.
#}

{% macro is_after_export(timestamp_column) %}
    {#- True when a timestamp falls after the export day (see screen_raw__export_date). -#}
    ({{ timestamp_column }} >= {{ dbt.dateadd('day', 1, 'export_date.export_date') }})
{% endmacro %}


{% macro keep_first_of_key(key_column, reason_column, duplicate_reason) %}
    {#-
        The final rejection reason: the row's own reason, else duplicate_reason
        for every valid row after the first (in file order) that shares its key.
    -#}
    coalesce(
        {{ reason_column }},
        case
            when row_number() over (
                partition by {{ key_column }}, {{ reason_column }} is null
                order by source_row_number
            ) > 1 then '{{ duplicate_reason }}'
        end
    )
{% endmacro %}


{% macro raw_values_of_rejected(columns) %}
    {#- The raw value of each column as text, kept only on rejected rows (the quarantine shows the row as given). -#}
    {%- for column in columns %}
        case when rejection_reason is not null then {{ dbt.cast('raw_' ~ column, api.Column.translate_type('string')) }} end as raw_{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{% endmacro %}


{#
    Incremental screening. The raw files are exports that grow by appending
    rows. A run screens the rows appended since the last run, plus every row
    whose outcome may change: rows rejected before (a future-dated row may be
    in range now, an orphan's customer may have arrived), accepted rows whose
    customer is gone or that now fall after the export date, and accepted rows
    sharing a key with any of those (so the first valid row of each key is
    still the one kept). The result equals a full screening of the file.
#}

{% macro rows_to_screen(base_relation, key_column, timestamp_column) %}
    {%- if is_incremental() %}
    where source_row_number > (select coalesce(max(source_row_number), 0) from {{ this }})
        or source_row_number in (
            select screened.source_row_number
            from {{ this }} as screened
            cross join {{ ref('screen_raw__export_date') }} as export_date
            where screened.rejection_reason is not null
                or screened.customer_id not in (select customer_id from {{ ref('stg_raw__customers') }})
                or {{ is_after_export('screened.' ~ timestamp_column) }}
                or screened.{{ key_column }} in (
                    select {{ clean_text(key_column) }}
                    from {{ base_relation }}
                    where source_row_number > (select coalesce(max(source_row_number), 0) from {{ this }})
                    union all
                    select {{ key_column }} from {{ this }} where rejection_reason is not null
                )
        )
    {%- endif %}
{% endmacro %}


{% macro assert_appended_only(base_relation, key_column) %}
    {#-
        Stops an incremental run when the raw file was replaced rather than
        appended to: it has fewer rows than were screened, or the rows already
        screened (checked at the first, middle and last position) hold other keys.
    -#}
    {%- if execute and is_incremental() -%}
        {%- set check -%}
            with screened as (
                select source_row_number, {{ key_column }} as screened_key
                from {{ this }}
                where source_row_number in (
                    select min(source_row_number) from {{ this }}
                    union all select max(source_row_number) from {{ this }}
                    union all select cast((min(source_row_number) + max(source_row_number)) / 2 as bigint) from {{ this }}
                )
            )
            select
                (select count(*) from {{ base_relation }}) as raw_rows,
                (select coalesce(max(source_row_number), 0) from {{ this }}) as screened_rows,
                count(case when base.source_row_number is null
                    or coalesce({{ clean_text('base.' ~ key_column) }}, '') <> coalesce(screened.screened_key, '') then 1 end)
                    as changed_rows
            from screened
            left join {{ base_relation }} as base
                on screened.source_row_number = base.source_row_number
        {%- endset -%}
        {%- set row = run_query(check).rows[0] -%}
        {%- if row[0] < row[1] or row[2] > 0 -%}
            {{ exceptions.raise_compiler_error(
                "The raw file behind " ~ base_relation ~ " was replaced, not appended to: it holds "
                ~ row[0] ~ " rows where " ~ row[1] ~ " were screened before"
                ~ (", and rows already screened changed" if row[2] > 0 else "")
                ~ ". Rebuild from scratch with: dbt build --full-refresh") }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{% macro screened_at(screened_relation) %}
    {#-
        When a row was screened: this run, unless an incremental run re-screened
        it to the same outcome, which keeps the earlier time. Downstream
        incremental models then re-read only rows that are new or changed.
        Use with previous_screening_join.
    -#}
    {%- set now = dbt.cast("'" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "'", api.Column.translate_type('timestamp')) -%}
    {%- if is_incremental() -%}
        case
            when previous_screening.source_row_number is not null
                and {{ equal_or_both_null('previous_screening.rejection_reason', screened_relation ~ '.rejection_reason') }}
                then previous_screening.screened_at
            else {{ now }}
        end
    {%- else -%}
        {{ now }}
    {%- endif -%}
{% endmacro %}


{% macro previous_screening_join(screened_relation) %}
    {%- if is_incremental() %}
    left join {{ this }} as previous_screening
        on {{ screened_relation }}.source_row_number = previous_screening.source_row_number
    {%- endif %}
{% endmacro %}


{% macro equal_or_both_null(left, right) %}
    ({{ left }} = {{ right }} or ({{ left }} is null and {{ right }} is null))
{% endmacro %}


{% macro key_hash(expression) %}
    {{ return(adapter.dispatch('key_hash', 'engagement_radar')(expression)) }}
{% endmacro %}

{% macro default__key_hash(expression) %}
    {{ dbt.hash(expression) }}
{% endmacro %}

{% macro duckdb__key_hash(expression) %}
    {#- A 64-bit hash: grouping a hundred million of them is far cheaper than grouping the text. -#}
    hash({{ expression }})
{% endmacro %}


{% macro inline_cte() %}
    {{ return(adapter.dispatch('inline_cte', 'engagement_radar')()) }}
{% endmacro %}

{% macro default__inline_cte() %}{% endmacro %}

{% macro duckdb__inline_cte() %}
    {#- A CTE read twice is materialized by DuckDB; for a scan of a hundred million rows, reading twice is cheaper. -#}
    not materialized
{% endmacro %}


{#
    Duplicate screening for large files. Only rows whose key is given more
    than once can be duplicates, so only they go through keep_first_of_key's
    window; the rest keep their own reason. A screen model defines a CTE
    `repeated_keys` as repeated_key_hashes(...), flags its checked rows with
    has_repeated_key(...), and takes the reasons from rejecting_duplicates(...).
#}

{% macro repeated_key_hashes(relation, key_column) %}
    {#- Hashes of the keys given more than once in relation; a hash collision only adds a candidate. -#}
    select {{ key_hash(clean_text(key_column)) }} as key_hash
    from {{ relation }}
    group by 1
    having count(*) > 1
{% endmacro %}


{% macro has_repeated_key(key_column) %}
    coalesce({{ key_hash(key_column) }} in (select key_hash from repeated_keys), false)
{% endmacro %}


{% macro rejecting_duplicates(checked_relation, key_column, duplicate_reason) %}
    {#- Every checked row with its final rejection_reason (see keep_first_of_key). -#}
    select *, row_rejection_reason as rejection_reason
    from {{ checked_relation }}
    where not has_repeated_key

    union all

    select *, {{ keep_first_of_key(key_column, 'row_rejection_reason', duplicate_reason) }} as rejection_reason
    from {{ checked_relation }}
    where has_repeated_key
{% endmacro %}
