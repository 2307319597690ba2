{#
    Spark-only implementations of what dbt-spark does not do for this project. Each is picked by
    adapter.dispatch on a Spark target; on DuckDB nothing here runs.
#}

{% macro spark__load_csv_rows(model, agate_table) %}
    {#- Seed rows as escaped literals: dbt-spark's session cursor fills its bindings in without escaping, so a
        seed text with an apostrophe ("the customer's") broke the insert. -#}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    {%- set value = row[loop.index0] -%}
                    {%- if value is none -%}
                        cast(null as {{ type }})
                    {%- else -%}
                        cast('{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}' as {{ type }})
                    {%- endif -%}
                    {{- ', ' if not loop.last -}}
                {%- endfor -%}){{ ',' if not loop.last }}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 %}{% do statements.append(sql) %}{% endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}


{% macro incremental_materialization() %}
    {#- The incremental models' materialization: incremental (delete+insert) on DuckDB; on an engine without
        delete+insert (Spark's Parquet tables), a full rebuild each run, which is correct, only slower. -#}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{% endmacro %}


{% macro delete_stale_rows(condition) %}
    {#- An incremental model's post-hook: deletes the rows an incremental run left behind (markers, emptied
        keys). Only incremental runs leave such rows, and only DuckDB runs these models incrementally (see
        incremental_materialization), so elsewhere there is nothing to delete. -#}
    {%- if target.type == 'duckdb' -%}
        delete from {{ this }} where {{ condition }}
    {%- else -%}
        select 1
    {%- endif -%}
{% endmacro %}
