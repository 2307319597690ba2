-- The raw plan_changes file exactly as given: every contract column (as text, or
-- as stored when Parquet types the timestamp), plus the row's position in the
-- file. The file is optional: without it, no rows (with the same columns).
{%- set source_relation = source('raw', 'plan_changes') %}
with

{% if raw_file_is_present('plan_changes') -%}
source as (

    select * from {{ source_relation }}

),

renamed as (

    select
        {{ raw_row_number() }} as source_row_number,
        {{ raw_file_select('plan_changes') }}
    from source

)
{%- else -%}
renamed as (

    -- no plan_changes file: no rows
    {%- set text = api.Column.translate_type('string') %}
    select
        cast(null as {{ dbt.type_bigint() }}) as source_row_number,
        cast(null as {{ text }}) as customer_id,
        cast(null as {{ text }}) as changed_at,
        cast(null as {{ text }}) as plan,
        cast(null as {{ text }}) as file_problem,
        cast(null as {{ dbt.type_bigint() }}) as source_line_number
    where false

)
{%- endif %}

select * from renamed
