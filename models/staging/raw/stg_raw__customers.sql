with

screened as (

    select * from {{ ref('screen_raw__customers') }}

),

accepted as (

    select
        -- ids
        customer_id,

        -- timestamps and dates
        signup_at,
        cast(signup_at as date) as signup_date,

        -- pii
        email_hash,

        -- attributes
        country,
        region,
        territory,
        industry,
        company_size,
        specialty,
        plan,
        acquisition_channel,

        -- lineage
        source_row_number

    from screened
    where rejection_reason is null

)

select * from accepted
