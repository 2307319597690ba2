-- The raw campaigns file exactly as given: every contract column (as text, or as
-- stored when Parquet types a timestamp or number), plus the row's position in
-- the file. Absent optional columns are null.
with

source as (

    select * from {{ source('raw', 'campaigns') }}

),

renamed as (

    select
        {{ raw_row_number() }} as source_row_number,
        {{ raw_file_select('campaigns') }}
    from source

)

select * from renamed
