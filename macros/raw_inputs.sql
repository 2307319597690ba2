{#
    The input contract, checked before anything builds.

    The contract (file names, required and optional columns) is declared once,
    in models/staging/raw/_raw__sources.yml; these macros read it from the graph.
#}

{% macro raw_contract(table_name) %}
    {#- Columns the contract declares for a raw table: a list of {name, required}. -#}
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


{% macro raw_file_path(table_name, file_format=none) %}
    {{ return(var('raw_path') ~ '/' ~ table_name ~ '.' ~ (file_format or var('raw_format'))) }}
{% endmacro %}


{% macro raw_file_problems(table_name) %}
    {#-
        Returns (present_columns, problems) for one raw file. problems is a
        list of plain sentences; present_columns the lower-cased column names.
    -#}
    {%- set problems = [] -%}
    {%- set present = [] -%}
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

    {%- set found = run_query("select file from glob('" ~ path ~ "')") -%}
    {%- if found.rows | length == 0 -%}
        {%- set other_format = 'csv' if file_format == 'parquet' else 'parquet' -%}
        {%- set other = run_query("select file from glob('" ~ raw_file_path(table_name, other_format) ~ "')") -%}
        {%- set hint = (" Found " ~ raw_file_path(table_name, other_format) ~ " instead: run with --vars '{raw_format: " ~ other_format ~ "}'.") if other.rows | length > 0 else "" -%}
        {%- do problems.append("missing file " ~ path ~ " (" ~ expected ~ ")." ~ hint) -%}
        {{ return((present, problems)) }}
    {%- endif -%}

    {%- set size = run_query("select size from read_blob('" ~ path ~ "')").columns[0].values()[0] -%}
    {%- if size == 0 -%}
        {%- do problems.append("file " ~ path ~ " is empty; it needs at least a header row (" ~ expected ~ ").") -%}
        {{ return((present, problems)) }}
    {%- endif -%}

    {%- set described = run_query("select column_name from (describe select * from " ~ raw_file_reader(path) ~ ")") -%}
    {%- for name in described.columns[0].values() -%}
        {%- do present.append(name | lower | trim) -%}
    {%- endfor -%}
    {%- set missing = required | reject('in', present) | list -%}
    {%- if missing -%}
        {%- do problems.append("file " ~ path ~ " lacks required column(s) " ~ missing | join(', ') ~ " (" ~ expected ~ "; found: " ~ present | join(', ') ~ ").") -%}
    {%- endif -%}
    {{ return((present, problems)) }}
{% endmacro %}


{% macro raw_file_reader(path) %}
    {#- The table function that reads one raw file, every value as text. -#}
    {%- if var('raw_format') == 'csv' -%}
        read_csv('{{ path }}', header = true, all_varchar = true)
    {%- else -%}
        read_parquet('{{ path }}')
    {%- endif -%}
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
    {#- on-run-start: checks all four files and reports every problem at once. -#}
    {%- if execute -%}
        {%- set all_problems = [] -%}
        {%- for table_name in raw_table_names() -%}
            {%- set present, problems = raw_file_problems(table_name) -%}
            {%- for problem in problems -%}
                {%- do all_problems.append("  - " ~ problem) -%}
            {%- endfor -%}
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
        'timestamp' or 'number' (used as stored, no text round trip).
    -#}
    {%- set kinds = {} -%}
    {%- if not execute -%}{{ return(kinds) }}{%- endif -%}
    {%- set file_types = {} -%}
    {%- if var('raw_format') == 'parquet' -%}
        {%- set described = run_query("select column_name, column_type from (describe select * from " ~ raw_file_reader(raw_file_path(table_name)) ~ ")") -%}
        {%- for row in described.rows -%}
            {%- do file_types.update({(row[0] | lower | trim): (row[1] | upper)}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for column in raw_contract(table_name) -%}
        {%- set file_type = file_types.get(column.name, 'VARCHAR') -%}
        {%- set kind = 'text' -%}
        {%- if column.type == 'timestamp' and file_type == 'TIMESTAMP WITH TIME ZONE' -%}
            {%- set kind = 'timestamptz' -%}
        {%- elif column.type == 'timestamp' and (file_type.startswith('TIMESTAMP') or file_type == 'DATE') -%}
            {%- set kind = 'timestamp' -%}
        {%- elif column.type in ['number', 'integer']
                and (file_type in ['DOUBLE', 'FLOAT', 'BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', 'HUGEINT',
                                   'UBIGINT', 'UINTEGER', 'USMALLINT', 'UTINYINT'] or file_type.startswith('DECIMAL')) -%}
            {%- set kind = 'number' -%}
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
        named <column>_hash. Header names are matched case-insensitively.
    -#}
    {%- if not execute -%}{{ return('null as not_yet_compiled') }}{%- endif -%}
    {%- set present = raw_file_columns(table_name) -%}
    {%- set kinds = raw_column_kinds(table_name) -%}
    {%- for column in raw_contract(table_name) %}
        {%- set value = adapter.quote(column.name) if kinds[column.name] != 'text'
                   else dbt.cast(adapter.quote(column.name), api.Column.translate_type('string')) if column.name in present
                   else dbt.cast('null', api.Column.translate_type('string')) %}
        {% if column.pii -%}
            {{ hash_pii(clean_text(value)) }} as {{ column.name }}_hash
        {%- else -%}
            {{ value }} as {{ column.name }}
        {%- endif %}{{ ',' if not loop.last }}
    {%- endfor %}
{% endmacro %}


{% macro raw_row_number() %}
    {{ return(adapter.dispatch('raw_row_number', 'engagement_radar')()) }}
{% endmacro %}

{% macro default__raw_row_number() %}
    row_number() over ()
{% endmacro %}

{% macro duckdb__raw_row_number() %}
    {#- Parquet files carry their row number; CSV rows are numbered in file order. -#}
    {%- if var('raw_format') == 'csv' -%}
        row_number() over ()
    {%- else -%}
        file_row_number + 1
    {%- endif -%}
{% endmacro %}
