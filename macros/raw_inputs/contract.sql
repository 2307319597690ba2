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
