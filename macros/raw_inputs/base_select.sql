{#
    The select list of the base models (base_raw__<file>), the only place a
    raw file is read: every contract column as given, and the row's position.
#}

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
