{#
    Incremental screening of the big files (orders, engagement_events). The
    raw files are exports that grow by appending rows. A screen table stores
    only rows that are rejected, or were rejected before (kept with their new
    outcome, so a change is recorded); the staging views read the accepted
    rows from the file. A run screens the rows appended since the last run,
    plus every row whose outcome may change: rows rejected before (a
    future-dated row may be in range now, an orphan's customer may have
    arrived), rows whose customer is no longer accepted, rows after the export
    date when it moved back, and rows sharing a key with any of those (so the
    first valid row of each key is still the one kept). The result equals a
    full screening of the file.
#}

{% macro previous_file_state(table_name) %}
    {#- The last run's row of screen_raw__file_states for a raw table: {rows_screened, fingerprint, export_date}, or none. -#}
    {%- if not reads_warehouse() -%}{{ return(none) }}{%- endif -%}
    {%- set states = adapter.get_relation(database=this.database, schema=this.schema,
                                          identifier='screen_raw__file_states') -%}
    {%- if states is none -%}{{ return(none) }}{%- endif -%}
    {%- set rows = run_query("select rows_screened, fingerprint, export_date from " ~ states
                             ~ " where table_name = '" ~ table_name ~ "'").rows -%}
    {%- if rows | length == 0 -%}{{ return(none) }}{%- endif -%}
    {{ return({'rows_screened': rows[0][0], 'fingerprint': rows[0][1], 'export_date': rows[0][2]}) }}
{% endmacro %}


{% macro rows_to_screen(table_name, key_column, timestamp_column) %}
    {#- The where clause of a screen model's read of its base model (nothing on a full build). -#}
    {%- if reads_warehouse() and is_incremental() %}
        {%- set state = previous_file_state(table_name) -%}
        {%- set kinds = raw_column_kinds(table_name) -%}
        {%- set base = ref('base_raw__' ~ table_name) -%}
        {%- set key = key_value(key_column, kinds.get(key_column, 'text')) -%}
        {%- set export_moved_back = run_query(
                "select export_date < cast('" ~ state.export_date ~ "' as date) from "
                ~ ref('screen_raw__export_date')).rows[0][0] -%}
    where source_row_number > {{ state.rows_screened }}
        or source_row_number in (select source_row_number from {{ this }} where rejection_reason is not null)
        or {{ key_hash(key) }} in (
            select {{ key_hash(key) }} from {{ base }} where source_row_number > {{ state.rows_screened }}
            union all
            select key_hash from {{ this }} where rejection_reason is not null
        )
        or {{ clean_text('customer_id', kinds.get('customer_id', 'text')) }}
            not in (select customer_id from {{ ref('stg_raw__customers') }})
        {%- if export_moved_back %}
        or {{ parse_timestamp_utc(timestamp_column, kinds.get(timestamp_column, 'text')) }}
            >= (select {{ dbt.dateadd('day', 1, 'export_date') }} from {{ ref('screen_raw__export_date') }})
        {%- endif %}
    {%- endif %}
{% endmacro %}


{% macro screened_rows_through(table_name) %}
    {#-
        A filter keeping the rows of a raw table that have been screened (a run reads no row it has not judged):
        `source_row_number <= N`, N from screen_raw__file_states. While dbt runs a model, N is looked up then
        (previous_file_state: the models that read this run after screen_raw__file_states, so it is this run's
        row) and written as a number: as a scalar subquery it made DuckDB estimate the rows of a 100-million-row
        file in the tens (an inequality join with a subquery), and every join above it was planned for a tiny
        table (the seed of 20 channel weights became the side probed, the events the side hashed). While parsing,
        linting, in a unit test (where the ref is the test's fixture), or before the table exists, it is the
        subquery (which also gives dbt the dependency).
    -#}
    {%- set state = previous_file_state(table_name) if model.resource_type != 'unit_test' else none -%}
    {%- if state is not none -%}
        source_row_number <= {{ state.rows_screened }}
    {%- else -%}
        source_row_number <= (
            select coalesce(max(rows_screened), 0) from {{ ref('screen_raw__file_states') }}
            where table_name = '{{ table_name }}'
        )
    {%- endif -%}
{% endmacro %}


{% macro assert_appended_only(table_name) %}
    {#-
        Stops an incremental run when a raw file was edited or replaced rather
        than appended to: it holds fewer rows than were screened, or the rows
        already screened changed in any value. screen_raw__file_states keeps
        each file's screened row count and a fingerprint of those rows (an XOR
        of one hash per row, the row number included, so a moved row counts
        too); this compares it with the same fingerprint of the file's first
        rows now - one pass over the file, no join.
    -#}
    {%- if reads_warehouse() and is_incremental() -%}
        {%- set states = adapter.get_relation(database=this.database, schema=this.schema,
                                              identifier='screen_raw__file_states') -%}
        {%- set full_refresh = "Rebuild from scratch with: dbt build --full-refresh" -%}
        {%- if states is none -%}
            {{ exceptions.raise_compiler_error(
                "The warehouse was built by an earlier version of the project, which kept no fingerprint of the "
                ~ "screened rows. " ~ full_refresh) }}
        {%- endif -%}
        {%- set check -%}
            with state as (
                select coalesce(max(rows_screened), 0) as rows_screened, max(fingerprint) as fingerprint
                from {{ states }}
                where table_name = '{{ table_name }}'
            )
            select
                count(*) as raw_rows,
                (select rows_screened from state) as rows_screened,
                coalesce({{ row_fingerprint_aggregate(raw_row_hash(table_name)) }}
                    filter (where base.source_row_number <= (select rows_screened from state)), 0)
                    = coalesce((select fingerprint from state), 0) as is_unchanged
            from {{ ref('base_raw__' ~ table_name) }} as base
        {%- endset -%}
        {%- set row = run_query(check).rows[0] -%}
        {%- if row[0] < row[1] or not row[2] -%}
            {{ exceptions.raise_compiler_error(
                "The raw file " ~ raw_file_path(table_name) ~ " was edited or replaced, not appended to: "
                ~ ("it holds " ~ row[0] ~ " rows where " ~ row[1] ~ " were screened before"
                   if row[0] < row[1] else "rows screened before changed")
                ~ ". An incremental build only reads rows appended to a file. " ~ full_refresh) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{% macro raw_row_hash(table_name) %}
    {#- One hash per raw row over its number and every value the base model reads (see assert_appended_only). -#}
    {%- if not reads_warehouse() -%}{{ return('null') }}{%- endif -%}
    {%- set columns = ['source_row_number', 'file_problem'] -%}
    {%- for column in raw_contract(table_name) -%}
        {%- do columns.append(column.name ~ '_hash' if column.pii else column.name) -%}
    {%- endfor -%}
    {{ return(adapter.dispatch('raw_row_hash', 'engagement_radar')(columns)) }}
{% endmacro %}

{% macro default__raw_row_hash(columns) %}
    {{ return(dbt.hash(dbt.concat(columns | map('string') | list))) }}
{% endmacro %}

{% macro duckdb__raw_row_hash(columns) %}
    {{ return('hash(' ~ columns | join(', ') ~ ')') }}
{% endmacro %}

{% macro spark__raw_row_hash(columns) %}
    {#- A 64-bit hash of the row's values (the appended-only fingerprint XORs them). -#}
    {{ return('xxhash64(' ~ columns | join(', ') ~ ')') }}
{% endmacro %}


{% macro row_fingerprint_aggregate(row_hash) %}
    {#- The XOR of the row hashes: order does not matter, and appending rows updates it without a rescan. -#}
    {{ return(adapter.dispatch('row_fingerprint_aggregate', 'engagement_radar')(row_hash)) }}
{% endmacro %}

{% macro default__row_fingerprint_aggregate(row_hash) %}
    {{ return('bit_xor(' ~ row_hash ~ ')') }}
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


{% macro screening_watermarks(table_name) %}
    {#- One row: how far the screening of a raw file has got, stored by an incremental model so its next run knows
        what is new. rows_through: the rows of the file screened so far (screen_raw__file_states);
        screened_through: the latest screened_at of its screen model (1970-01-01 before any). -#}
    select
        (
            select coalesce(max(rows_screened), 0) from {{ ref('screen_raw__file_states') }}
            where table_name = '{{ table_name }}'
        ) as rows_through,
        coalesce(
            (select max(screened_at) from {{ ref('screen_raw__' ~ table_name) }}),
            {{ dbt.cast("'1970-01-01'", api.Column.translate_type('timestamp')) }}
        ) as screened_through
{% endmacro %}


{% macro rows_worth_storing(checked) %}
    {#- The rows of a big file's screen (orders, engagement events) that its table keeps, in one pass over the
        `checked` rows (with row_rejection_reason and has_repeated_key): the rejected rows, the rows whose key is
        repeated (the duplicate check needs them), and, in an incremental run, the rows stored before. -#}
    select * from {{ checked }}
    where row_rejection_reason is not null
        or has_repeated_key
    {%- if is_incremental() %}
        or source_row_number in (select source_row_number from {{ this }})
    {%- endif %}
{% endmacro %}
