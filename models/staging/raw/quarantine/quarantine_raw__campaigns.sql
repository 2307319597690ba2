-- Raw campaigns rows that were rejected, as given (text), with the reason.
with

screened as (

    select * from {{ ref('screen_raw__campaigns') }}

),

rejected as (

    select
        source_row_number,
        source_line_number,
        rejection_reason,
        raw_campaign_id as campaign_id,
        raw_campaign_name as campaign_name,
        raw_channel as channel,
        raw_content_type as content_type,
        raw_started_at as started_at,
        raw_ended_at as ended_at,
        raw_cost as cost
    from screened
    where rejection_reason is not null

)

select * from rejected
