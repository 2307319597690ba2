-- One row per incrementally screened raw file: how many of its rows have been
-- screened, a fingerprint of them (the XOR of one hash per row), which the
-- next incremental run compares with the file's first rows to stop, with a
-- clear message, when the file was edited instead of appended to (see
-- assert_appended_only), and the export date they were screened against (a
-- later run that moves it back screens again the rows after it). An
-- incremental run hashes only the appended rows.
-- depends_on: {{ ref('screen_raw__orders') }}
-- depends_on: {{ ref('screen_raw__engagement_events') }}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='table_name',
        on_schema_change='fail'
    )
}}

{%- set table_names = ['orders', 'engagement_events'] %}
with

{% for table_name in table_names -%}
{{ table_name }}_previous as (

    {% if is_incremental() -%}
    select
        coalesce(max(rows_screened), 0) as rows_screened,
        coalesce(max(fingerprint), 0) as fingerprint
    from {{ this }}
    where table_name = '{{ table_name }}'
    {%- else -%}
    select
        0 as rows_screened,
        0 as fingerprint
    {%- endif %}

),

{{ table_name }}_appended as (

    select
        count(*) as rows_appended,
        coalesce({{ row_fingerprint_aggregate(raw_row_hash(table_name)) }}, 0) as fingerprint
    from {{ ref('base_raw__' ~ table_name) }}
    where source_row_number > (select previous.rows_screened from {{ table_name }}_previous as previous)

),

{{ table_name }}_state as (

    select
        '{{ table_name }}' as table_name,
        previous.rows_screened + appended.rows_appended as rows_screened,
        {{ bitwise_xor('previous.fingerprint', 'appended.fingerprint') }} as fingerprint,
        export_date.export_date
    from {{ table_name }}_previous as previous
    cross join {{ table_name }}_appended as appended
    cross join {{ ref('screen_raw__export_date') }} as export_date

),

{% endfor -%}
final as (

    {% for table_name in table_names -%}
    select * from {{ table_name }}_state
    {{ 'union all' if not loop.last }}
    {% endfor %}

)

select * from final
