with

screened as (

    select * from {{ ref('screen_raw__campaigns') }}

),

accepted as (

    select
        -- ids
        campaign_id,

        -- attributes
        campaign_name,
        channel,
        content_type,

        -- timestamps
        started_at,
        ended_at,

        -- amounts
        cost,

        -- lineage
        source_row_number

    from screened
    where rejection_reason is null

)

select * from accepted
