-- Raw engagement events rows that were rejected, as given (text), with the reason.
with

screened as (

    select * from {{ ref('screen_raw__engagement_events') }}

),

rejected as (

    select
        source_row_number,
        source_line_number,
        rejection_reason,
        raw_event_id as event_id,
        raw_customer_id as customer_id,
        raw_occurred_at as occurred_at,
        raw_channel as channel,
        raw_event_type as event_type,
        raw_campaign_id as campaign_id
    from screened
    where rejection_reason is not null

)

select * from rejected
