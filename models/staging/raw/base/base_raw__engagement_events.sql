-- The raw engagement_events file exactly as given: every contract column (as text, or as
-- stored when Parquet types a timestamp or number), plus the row's position in
-- the file. Absent optional columns are null.
with

source as (

    select * from {{ source('raw', 'engagement_events') }}

),

renamed as (

    select
        {{ raw_row_number() }} as source_row_number,
        {{ raw_file_select('engagement_events') }}
    from source

)

select * from renamed
