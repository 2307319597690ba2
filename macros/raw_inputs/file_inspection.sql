{#
    Looking at the raw files themselves: whether each is there, its columns,
    their types and its row count, read once per run through the engine
    (DuckDB, or Spark through the views register_raw_files creates).
#}

{% macro raw_file_is_present(table_name) %}
    {#- Whether the raw file exists (at parse time: assumed to). -#}
    {%- if not execute -%}{{ return(true) }}{%- endif -%}
    {{ return(raw_file_summary(table_name).status != 'missing') }}
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
