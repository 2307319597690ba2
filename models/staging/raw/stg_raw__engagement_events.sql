with

screened as (

    select * from {{ ref('screen_raw__engagement_events') }}

),

accepted as (

    select
        -- ids
        event_id,
        customer_id,
        campaign_id,

        -- timestamps and dates
        occurred_at,
        cast(occurred_at as date) as occurred_date,

        -- taxonomy
        channel,
        event_type,

        -- lineage
        source_row_number,
        screened_at

    from screened
    where rejection_reason is null

)

select * from accepted
