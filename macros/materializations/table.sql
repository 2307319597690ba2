{% materialization table, adapter="duckdb", supported_languages=['sql', 'python'] %}
    {#-
        The project's table materialization on DuckDB: the old table is dropped and the new one created under its
        name inside one transaction, so a failed build rolls back to the old table and readers of the file never see
        a gap. dbt-duckdb's own builds the new table under a temporary name, renames the old one away, renames the
        new one in, commits and drops the old one: four more round trips through dbt's macro machinery per model
        (two renames and two drops), about a tenth of a small build's CPU. Contracts, hooks, grants and persisted
        docs are applied as dbt-duckdb applies them; the project uses no indexes, partitioning or foreign keys.
    -#}
    {%- set language = model['language'] -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set grant_config = config.get('grants') -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- if language == 'python' -%}
        {#- dbt-duckdb writes a Python model's frame through a cursor of its own (its own transaction): one
            `create or replace table` there is just as atomic. It cannot replace a view: a model that was a view
            before is dropped first, and that drop is committed (only on that change of type). -#}
        {%- if existing_relation is not none and existing_relation.is_view -%}
            {%- call statement('drop_existing_view') -%}
                drop view if exists {{ existing_relation }}
            {%- endcall -%}
            {{ adapter.commit() }}
        {%- endif -%}
        {%- call statement('main', language=language) -%}
            {{- python_replace_table(target_relation, compiled_code) }}
        {%- endcall -%}
    {%- else -%}
        {%- do adapter.ensure_transaction() -%}
        {%- if existing_relation is not none -%}
            {%- call statement('drop_existing') -%}
                drop {{ existing_relation.type }} if exists {{ existing_relation }}
            {%- endcall -%}
        {%- endif -%}
        {%- call statement('main', language=language) -%}
            {{- create_table_as(False, target_relation, compiled_code, language) }}
        {%- endcall -%}
    {%- endif -%}

    {{ run_hooks(post_hooks, inside_transaction=True) }}

    {%- set should_revoke = should_revoke(existing_relation, full_refresh_mode=True) -%}
    {%- do apply_grants(target_relation, grant_config, should_revoke=should_revoke) -%}
    {%- do persist_docs(target_relation, model) -%}

    {{ adapter.commit() }}

    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{% macro python_replace_table(relation, compiled_code) -%}
{{ compiled_code }}

def materialize(df, con):
    import pyarrow
    if isinstance(df, pyarrow.Table):
        import pyarrow.dataset  # noqa: F401 (DuckDB reads an Arrow table through it)
    frame_name = '__dbt_python_model_df_{{ relation.identifier }}'
    con.register(frame_name, df)
    con.execute('create or replace table {{ relation }} as select * from ' + frame_name)
    con.unregister(frame_name)
{%- endmacro %}
