-- The raw orders file exactly as given: every contract column (as text, or as
-- stored when Parquet types a timestamp or number), plus the row's position in
-- the file. Absent optional columns are null.
with

source as (

    select * from {{ source('raw', 'orders') }}

),

renamed as (

    select
        {{ raw_row_number() }} as source_row_number,
        {{ raw_file_select('orders') }}
    from source

)

select * from renamed
