-- Raw customers rows that were rejected, as given (text), with the reason.
with

screened as (

    select * from {{ ref('screen_raw__customers') }}

),

rejected as (

    select
        source_row_number,
        source_line_number,
        rejection_reason,
        raw_customer_id as customer_id,
        raw_signup_at as signup_at,
        raw_country as country,
        raw_region as region,
        raw_territory as territory,
        raw_industry as industry,
        raw_company_size as company_size,
        raw_specialty as specialty,
        raw_plan as plan,
        raw_acquisition_channel as acquisition_channel
    from screened
    where rejection_reason is not null

)

select * from rejected
