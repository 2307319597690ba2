{#
    The input contract, checked before anything builds.

    The contract (file names, required and optional columns) is declared once,
    in models/staging/raw/_raw__sources.yml; these macros read it from the graph.
    A CSV export is read by the project's own reader (engagement_radar.raw_csv,
    registered by the dbt-duckdb plugin in profiles.yml) into a Parquet file
    beside the warehouse; the base models read that file, so a CSV and a Parquet
    export go through the same models.
#}

{% macro raw_contract(table_name) %}
    {#- Columns the contract declares for a raw table: a list of {name, required, pii, type}. -#}
    {%- set ns = namespace(columns=[]) -%}
    {%- for node in graph.sources.values()
            if node.source_name == 'raw' and node.name == table_name -%}
        {%- for column in node.columns.values() -%}
            {%- set meta = column.config.meta if column.config is defined and column.config.meta else column.meta -%}
            {%- set ns.columns = ns.columns + [{
                'name': column.name,
                'required': (meta or {}).get('required', false),
                'pii': (meta or {}).get('pii', false),
                'type': (meta or {}).get('type', 'text')
            }] -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if ns.columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("No raw table named '" ~ table_name ~ "' in the input contract.") }}
    {%- endif -%}
    {{ return(ns.columns) }}
{% endmacro %}


{% macro raw_table_names() %}
    {%- set names = [] -%}
    {%- for node in graph.sources.values() if node.source_name == 'raw' -%}
        {%- do names.append(node.name) -%}
    {%- endfor -%}
    {{ return(names | sort) }}
{% endmacro %}


{% macro raw_file_is_optional(table_name) %}
    {#- True for a file the contract marks optional_file (it may be absent; present, it is checked like the others). -#}
    {%- set ns = namespace(optional=false) -%}
    {%- for node in graph.sources.values() if node.source_name == 'raw' and node.name == table_name -%}
        {%- set meta = node.config.meta if node.config is defined and node.config.meta else node.meta -%}
        {%- set ns.optional = (meta or {}).get('optional_file', false) -%}
    {%- endfor -%}
    {{ return(ns.optional) }}
{% endmacro %}


{% macro raw_file_is_present(table_name) %}
    {#- Whether the raw file exists (at parse time: assumed to). -#}
    {%- if not execute -%}{{ return(true) }}{%- endif -%}
    {{ return(raw_file_summary(table_name).status != 'missing') }}
{% endmacro %}


{% macro raw_file_path(table_name, file_format=none) %}
    {{ return(var('raw_path') ~ '/' ~ table_name ~ '.' ~ (file_format or var('raw_format'))) }}
{% endmacro %}


{% macro raw_prepared_path(table_name) %}
    {#- Where a CSV export is written once read, one Parquet file per table: beside the DuckDB warehouse file; on
        another engine, under ENGAGEMENT_RADAR_SPARK_HOME (the folder of the local Spark warehouse). -#}
    {%- if target.type == 'duckdb' -%}
        {{ return(target.path ~ '.raw/' ~ table_name ~ '.parquet') }}
    {%- endif -%}
    {{ return(env_var('ENGAGEMENT_RADAR_SPARK_HOME', 'warehouse/spark') ~ '/raw/' ~ table_name ~ '.parquet') }}
{% endmacro %}


{% macro sql_string(text) %}
    {#- A SQL string literal holding text (a path with a quote in it stays one literal). -#}
    {{ return("'" ~ (text | string | replace("'", "''")) ~ "'") }}
{% endmacro %}


{% macro raw_file_summary(table_name) %}
    {#-
        What one raw file holds: {status, columns, rows, message}. status is
        'ok', 'missing' (no file), or 'unreadable' (message says why, in the
        contract's words, never quoting the file); columns are the lower-cased
        column names of the file, rows its number of data rows. Read once per
        run (run_cache): the files do not change while dbt runs.
    -#}
    {%- set cache = run_cache() -%}
    {%- set key = 'raw_file_summary:' ~ table_name -%}
    {%- if key not in cache and target.name == 'lint' -%}
        {#- the lint compiles without the files: each holds every column of the contract, as text -#}
        {%- do cache.update({key: {'status': 'ok', 'columns': raw_contract(table_name) | map(attribute='name') | list,
                                   'types': {}, 'rows': 0}}) -%}
    {%- elif key not in cache -%}
        {%- do cache.update({key: adapter.dispatch('raw_file_summary', 'engagement_radar')(table_name)}) -%}
    {%- endif -%}
    {{ return(cache[key]) }}
{% endmacro %}

{% macro default__raw_file_summary(table_name) %}
    {{ exceptions.raise_compiler_error("Reading raw files is not implemented for the " ~ target.type ~ " adapter.") }}
{% endmacro %}

{% macro duckdb__raw_file_summary(table_name) %}
    {{ return(inspect_raw_file(table_name,
        describe_sql="select column_name, column_type from (describe select * from read_parquet({path}))",
        count_sql="select count(*) from read_parquet({path})")) }}
{% endmacro %}

{% macro spark__raw_file_summary(table_name) %}
    {{ return(inspect_raw_file(table_name,
        describe_sql="describe query select * from parquet.`{file}`",
        count_sql="select count(*) from parquet.`{file}`")) }}
{% endmacro %}

{% macro inspect_raw_file(table_name, describe_sql, count_sql) %}
    {#- The summary through the engine: the file inspected and a CSV export prepared by the project's functions
        (registered by the dbt-duckdb plugin, or on Spark by engagement_radar.spark), then the Parquet file described
        and counted with the engine's SQL ({path}: a SQL string literal, {file}: the bare path). Column types are
        named the DuckDB way (upper case; a Spark timestamp is TIMESTAMP WITH TIME ZONE, an instant). -#}
    {%- set path = raw_file_path(table_name) -%}
    {%- if var('raw_format') == 'csv' -%}
        {%- set pii = raw_contract(table_name) | selectattr('pii') | map(attribute='name') | join(',') -%}
        {%- set prepared = run_query("select engagement_radar_prepare_csv(" ~ sql_string(path) ~ ", "
                                     ~ sql_string(raw_prepared_path(table_name)) ~ ", " ~ sql_string(pii) ~ ")") -%}
        {{ return(fromjson(prepared.columns[0].values()[0])) }}
    {%- endif -%}
    {%- set inspected = fromjson(run_query("select engagement_radar_inspect_file(" ~ sql_string(path) ~ ")")
                                 .columns[0].values()[0]) -%}
    {%- if inspected.status == 'missing' -%}
        {{ return({'status': 'missing'}) }}
    {%- elif inspected.status == 'empty' -%}
        {{ return({'status': 'unreadable', 'message': 'is empty: it needs at least its columns'}) }}
    {%- elif inspected.status != 'parquet' -%}
        {{ return({'status': 'unreadable', 'message': 'is not a Parquet file'}) }}
    {%- endif -%}
    {%- set described = run_query(describe_sql.replace('{path}', sql_string(path)).replace('{file}', path)) -%}
    {%- set rows = run_query(count_sql.replace('{path}', sql_string(path)).replace('{file}', path))
                   .columns[0].values()[0] -%}
    {%- set spark_names = {'string': 'VARCHAR', 'int': 'INTEGER', 'timestamp': 'TIMESTAMP WITH TIME ZONE',
                           'timestamp_ntz': 'TIMESTAMP'} -%}
    {%- set columns, types = [], {} -%}
    {%- for row in described.rows if row[0] and not (row[0] | string).startswith('#') -%}
        {%- set column_type = row[1] | string -%}
        {%- do columns.append(row[0] | lower | trim) -%}
        {%- do types.update({(row[0] | lower | trim): spark_names.get(column_type, column_type | upper)}) -%}
    {%- endfor -%}
    {{ return({'status': 'ok', 'columns': columns, 'types': types, 'rows': rows}) }}
{% endmacro %}


{% macro register_raw_files() %}
    {#- on-run-start: on an engine without dbt-duckdb's external sources, one view per raw file in the source's
        schema (Spark: over parquet.`path`, with the row's position in the file as file_row_number). -#}
    {{ return(adapter.dispatch('register_raw_files', 'engagement_radar')()) }}
{% endmacro %}

{% macro default__register_raw_files() %}
    select 1
{% endmacro %}

{% macro spark__register_raw_files() %}
    {%- if execute -%}
        {%- set schema = raw_source_schema() -%}
        {%- do run_query("create schema if not exists " ~ schema) -%}
        {%- for table_name in raw_table_names() if raw_file_summary(table_name).status == 'ok' -%}
            {%- if var('raw_format') == 'csv' -%}
                {%- set select = "select * from parquet.`" ~ raw_prepared_path(table_name) ~ "`" -%}
            {%- else -%}
                {%- set select = "select *, _metadata.row_index as file_row_number from parquet.`"
                                 ~ raw_file_path(table_name) ~ "`" -%}
            {%- endif -%}
            {%- do run_query("create or replace view " ~ schema ~ "." ~ table_name ~ " as " ~ select) -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{% endmacro %}


{% macro raw_source_schema() %}
    {#- The schema the raw sources are read from: DuckDB reads the files in place (external_location, schema main);
        elsewhere, the views register_raw_files creates. -#}
    {{ return('main' if target.type == 'duckdb' else target.schema ~ '_raw') }}
{% endmacro %}


{% macro raw_file_problems(table_name, summary=none) %}
    {#-
        Returns (present_columns, problems) for one raw file. problems is a
        list of plain sentences; present_columns the lower-cased column names.
    -#}
    {%- set problems = [] -%}
    {%- set file_format = var('raw_format') -%}
    {%- set path = raw_file_path(table_name) -%}
    {%- set contract = raw_contract(table_name) -%}
    {%- set required = contract | selectattr('required') | map(attribute='name') | list -%}
    {%- set optional = contract | rejectattr('required') | map(attribute='name') | list -%}
    {%- set expected -%}
        required columns: {{ required | join(', ') }}{% if optional %}; optional: {{ optional | join(', ') }}{% endif %}
    {%- endset -%}

    {%- if file_format not in ['parquet', 'csv'] -%}
        {{ exceptions.raise_compiler_error("var('raw_format') is '" ~ file_format ~ "'; it must be 'parquet' or 'csv'.") }}
    {%- endif -%}

    {%- set summary = summary or raw_file_summary(table_name) -%}
    {%- if summary.status == 'missing' -%}
        {%- set other_format = 'csv' if file_format == 'parquet' else 'parquet' -%}
        {%- set other = fromjson(run_query("select engagement_radar_inspect_file("
                                           ~ sql_string(raw_file_path(table_name, other_format)) ~ ")")
                                 .columns[0].values()[0]) -%}
        {%- set hint = (" Found " ~ raw_file_path(table_name, other_format) ~ " instead: run with --vars '{raw_format: " ~ other_format ~ "}'.") if other.status != 'missing' else "" -%}
        {%- do problems.append("missing file " ~ path ~ " (" ~ expected ~ ")." ~ hint) -%}
        {{ return(([], problems)) }}
    {%- elif summary.status != 'ok' -%}
        {%- set dialect = " (the contract reads CSV as UTF-8 text with a header row, comma-separated, double-quoted)"
                          if file_format == 'csv' else "" -%}
        {%- do problems.append("file " ~ path ~ " " ~ summary.message ~ dialect ~ "; " ~ expected ~ ".") -%}
        {{ return(([], problems)) }}
    {%- endif -%}

    {%- set present = summary.columns -%}
    {%- set missing = required | reject('in', present) | list -%}
    {%- if missing -%}
        {%- do problems.append("file " ~ path ~ " lacks required column(s) " ~ missing | join(', ') ~ " (" ~ expected ~ "; found: " ~ printable_names(present) ~ ").") -%}
    {%- endif -%}
    {{ return((present, problems)) }}
{% endmacro %}


{% macro printable_names(names) %}
    {#- Column names for a message: at most 20, each at most 40 characters, anything odd replaced by '?'. -#}
    {%- set shown = [] -%}
    {%- for name in names[:20] -%}
        {%- set ns = namespace(text='') -%}
        {%- for character in name[:40] -%}
            {%- set ns.text = ns.text ~ (character if character in 'abcdefghijklmnopqrstuvwxyz0123456789_- .' else '?') -%}
        {%- endfor -%}
        {%- do shown.append(ns.text) -%}
    {%- endfor -%}
    {{ return(shown | join(', ') ~ (', ...' if names | length > 20 else '')) }}
{% endmacro %}


{% macro raw_file_columns(table_name) %}
    {#- The columns present in one raw file; stops the build with a clear message if the file breaks the contract. -#}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set present, problems = raw_file_problems(table_name) -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error("The input does not meet the contract: " ~ problems | join(' ')) }}
    {%- endif -%}
    {{ return(present) }}
{% endmacro %}


{% macro validate_raw_inputs() %}
    {#-
        on-run-start: checks every file and reports every problem at once. A
        file may hold no rows, except customers: without a customer there is
        nothing to build. An optional file (plan_changes) may be absent.
    -#}
    {%- if execute -%}
        {%- set all_problems = [] -%}
        {%- for table_name in raw_table_names() -%}
            {%- set summary = raw_file_summary(table_name) -%}
            {%- set present, problems = ([], []) if summary.status == 'missing' and raw_file_is_optional(table_name)
                                        else raw_file_problems(table_name, summary) -%}
            {%- for problem in problems -%}
                {%- do all_problems.append("  - " ~ problem) -%}
            {%- endfor -%}
            {%- if table_name == 'customers' and not problems and summary.rows == 0 -%}
                {%- do all_problems.append("  - file " ~ raw_file_path(table_name) ~ " holds no rows: the warehouse "
                    ~ "needs at least one customer (orders, engagement_events and campaigns may be empty).") -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if all_problems -%}
            {{ exceptions.raise_compiler_error(
                "The input in " ~ var('raw_path') ~ " does not meet the contract:\n"
                ~ all_problems | join('\n')
                ~ "\nSee the input contract in README.md.") }}
        {%- endif -%}
    {%- endif -%}
    select 1
{% endmacro %}


{% macro raw_column_kinds(table_name) %}
    {#-
        How each contract column of a raw file is stored, so the screen models
        parse it the cheapest correct way: 'text' (parsed from text, as in
        every CSV), or, for a column the contract types as a timestamp or a
        number and the file already stores typed (Parquet), 'timestamptz',
        'timestamp' or 'number' (used as stored, no text round trip); an id
        (a text column of the contract) stored as a number is 'typed': it is
        compared as stored and turned into text only where it is shown.
    -#}
    {%- set kinds = {} -%}
    {%- if not execute -%}{{ return(kinds) }}{%- endif -%}
    {%- set file_types = raw_file_summary(table_name).get('types', {}) if var('raw_format') == 'parquet' else {} -%}
    {%- for column in raw_contract(table_name) -%}
        {%- set file_type = file_types.get(column.name, 'VARCHAR') -%}
        {%- set kind = 'text' -%}
        {%- if column.type == 'timestamp' and file_type in ['TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ_NS'] -%}
            {%- set kind = 'timestamptz' -%}
        {%- elif column.type == 'timestamp' and (file_type.startswith('TIMESTAMP') or file_type == 'DATE') -%}
            {%- set kind = 'timestamp' -%}
        {%- elif column.type in ['number', 'integer']
                and (file_type in ['DOUBLE', 'FLOAT', 'BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', 'HUGEINT',
                                   'UBIGINT', 'UINTEGER', 'USMALLINT', 'UTINYINT'] or file_type.startswith('DECIMAL')) -%}
            {%- set kind = 'number' -%}
        {%- elif column.type == 'text' and not column.pii
                and file_type in ['BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', 'UBIGINT', 'UINTEGER', 'USMALLINT',
                                  'UTINYINT', 'HUGEINT'] -%}
            {%- set kind = 'typed' -%}
        {%- endif -%}
        {%- do kinds.update({column.name: kind}) -%}
    {%- endfor -%}
    {{ return(kinds) }}
{% endmacro %}


{% macro raw_file_select(table_name) %}
    {#-
        The select list of a base model: every contract column as given, null
        when an optional column is absent from the file. Columns of kind
        'text' (see raw_column_kinds) are read as text; typed timestamps and
        numbers keep their type. A column marked pii is read only as its hash,
        named <column>_hash (a CSV export is hashed as it is read). Header
        names are matched case-insensitively. Then file_problem: why the
        row could not be read as a record of the file (CSV only), or null; and
        source_line_number: the line a CSV record starts on (null for Parquet).
    -#}
    {%- if not execute -%}{{ return('null as not_yet_compiled') }}{%- endif -%}
    {%- set present = raw_file_columns(table_name) -%}
    {%- set kinds = raw_column_kinds(table_name) -%}
    {%- set is_csv = var('raw_format') == 'csv' -%}
    {%- set text = api.Column.translate_type('string') -%}
    {%- for column in raw_contract(table_name) %}
        {%- set value = adapter.quote(column.name) if kinds[column.name] != 'text'
                   else dbt.cast(adapter.quote(column.name), text) if column.name in present
                   else dbt.cast('null', text) %}
        {% if column.pii and is_csv -%}
            {{ adapter.quote(column.name ~ '_hash') if column.name in present else dbt.cast('null', text) }} as {{ column.name }}_hash,
        {%- elif column.pii -%}
            {{ hash_pii(clean_text(value)) }} as {{ column.name }}_hash,
        {%- else -%}
            {{ value }} as {{ column.name }},
        {%- endif %}
    {%- endfor %}
        {{ 'file_problem' if is_csv else dbt.cast('null', text) }} as file_problem,
        {{ 'source_line_number' if is_csv else dbt.cast('null', dbt.type_bigint()) }} as source_line_number
{% endmacro %}


{% macro raw_row_number() %}
    {{ return(adapter.dispatch('raw_row_number', 'engagement_radar')()) }}
{% endmacro %}

{% macro default__raw_row_number() %}
    {#- A Parquet file's row number; for a CSV export, the record's number (1 = the first record after the header). -#}
    {%- if var('raw_format') == 'csv' -%}
        source_row_number
    {%- else -%}
        file_row_number + 1
    {%- endif -%}
{% endmacro %}
