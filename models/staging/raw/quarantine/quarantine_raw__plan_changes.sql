-- Raw plan_changes rows that were rejected, as given (text), with the reason.
with

screened as (

    select * from {{ ref('screen_raw__plan_changes') }}

),

rejected as (

    select
        source_row_number,
        source_line_number,
        rejection_reason,
        raw_customer_id as customer_id,
        raw_changed_at as changed_at,
        raw_plan as plan
    from screened
    where rejection_reason is not null

)

select * from rejected
